import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticReport } from '@medplum/fhirtypes';
import type { FhirRepository } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../store/testing/open-test-store.ts';
import { noticeDueAt } from './result-hold-setting.ts';

describeEachBackend('noticeDueAt: when a results-ready notice may go', (backend) => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore(backend);
  });
  after(() => store.db.close());

  /** The store's repository, counting its reads. */
  const counting = (reads: string[]): FhirRepository => ({
    ...store.repository,
    read: (type, id) => (reads.push(`${type}/${id}`), store.repository.read(type, id)),
  });

  const issuedNow = async () => {
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      status: 'final',
      category: [{ coding: [{ code: 'LAB' }] }],
      code: { text: 'panel' },
      issued: new Date().toISOString(),
    };
    return `DiagnosticReport/${(await store.repository.create(report)).resource.id}`;
  };
  const clock = { now: () => new Date() };

  test('a clinic that holds nothing: due at once, the result not read', async () => {
    const reads: string[] = [];
    const about = [await issuedNow()];
    const hold = { hours: 0, categories: [], codes: [] };
    assert.equal(await noticeDueAt(counting(reads), { about, setting: { hold, clock } }), undefined);
    assert.deepEqual(reads, []);
  });

  test('a clinic that holds results 48 hours: the result is read, due when its hold ends', async () => {
    const reads: string[] = [];
    const about = [await issuedNow()];
    const hold = { hours: 48, categories: ['LAB'], codes: [] };
    const due = await noticeDueAt(counting(reads), { about, setting: { hold, clock } });
    assert.deepEqual(reads, about);
    assert.ok(Date.parse(due ?? '') > Date.now() + 47 * 3_600_000);
  });
});
