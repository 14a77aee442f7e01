import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiagnosticReport } from '@medplum/fhirtypes';
import { leaseSubscription, readEventsAfterCursor } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../../store/testing/open-test-store.ts';
import { loadWrite } from './load-write.ts';
import { loadWrites } from './load-writes.ts';
import { ruleEventOf } from './match-on-change.ts';

/** The batch read of the live matcher sees each write exactly as the one-by-one read does. */
describeEachBackend('rules: an event batch read in one window', (backend) => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore(backend);
  });
  after(() => store.db.close());

  const report = (n: number, status: DiagnosticReport['status']): DiagnosticReport => ({
    resourceType: 'DiagnosticReport',
    status,
    code: { text: `panel ${n}` },
  });

  test('creates, updates (some updated again since), a delete and an old previous version', async () => {
    const repository = store.repository;
    await leaseSubscription(store.db, 'load-writes-test', { holder: 'test', seconds: 60 }); // its cursor, from the start
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await repository.create(report(n, 'preliminary'))).resource.id!);
    // Report 0's first version was written long before the batch: outside its window.
    await store.db.query(
      `UPDATE resource_history SET last_updated = last_updated - interval '1 hour' WHERE id = $1 AND version_id = '1'`,
      [ids[0]],
    );
    for (const id of ids.slice(0, 4)) await repository.update({ ...report(0, 'final'), id });
    await repository.update({ ...report(1, 'amended'), id: ids[1] }); // version 3, after the event of version 2
    await repository.delete('DiagnosticReport', ids[5]!);
    const events = (await readEventsAfterCursor(store.db, 'load-writes-test', 100)).map(ruleEventOf);
    assert.ok(events.length >= 12);
    const batch = await loadWrites(repository, events);
    const single = await Promise.all(events.map((event) => loadWrite(repository, event)));
    assert.deepEqual(batch, single);
    const updateOf0 = batch.find((scope) => scope.event.id === ids[0] && scope.event.versionId === '2');
    assert.equal((updateOf0?.previous as DiagnosticReport | undefined)?.status, 'preliminary');
    const updateOf1 = batch.find((scope) => scope.event.id === ids[1] && scope.event.versionId === '2');
    assert.equal(
      (updateOf1?.resource as DiagnosticReport | undefined)?.status,
      'final',
      'the version the event names',
    );
  });
});
