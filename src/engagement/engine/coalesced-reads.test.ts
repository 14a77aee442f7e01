import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { pgliteBackend } from '../../store/testing/backends.ts';
import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { coalescedReads } from './coalesced-reads.ts';

const { repo: store } = testStorePerSuite(pgliteBackend);

test('concurrent reads by id share one search per type; each gets its own resource, a missing one not found', async () => {
  const searches: string[] = [];
  const counted: FhirRepository = {
    ...store,
    search: (request) => (searches.push(request.resourceType), store.search(request)),
  };
  const reads = coalescedReads(counted);
  const ids = ['c-1', 'c-2', 'c-3', 'c-4'];
  for (const id of ids) await store.update<Patient>({ resourceType: 'Patient', id, name: [{ family: id }] });
  const results = await Promise.allSettled(
    [...ids, 'c-missing', 'c-2'].map((id) => reads.read<Patient>('Patient', id)),
  );
  const first = results[0];
  assert.equal(first?.status === 'fulfilled' && first.value.name?.[0]?.family, 'c-1');
  assert.deepEqual(
    results.slice(1).map((result) => (result.status === 'fulfilled' ? result.value.id : result.reason.code)),
    ['c-2', 'c-3', 'c-4', 'NOT_FOUND', 'c-2'],
  );
  assert.deepEqual(searches, ['Patient'], 'the six reads asked in the same turn went as one search');
});

test('a read sees what was committed before it was asked', async () => {
  const reads = coalescedReads(store);
  await store.update<Patient>({ resourceType: 'Patient', id: 'v-1', active: true });
  assert.equal((await reads.read<Patient>('Patient', 'v-1')).active, true);
  await store.update<Patient>({ resourceType: 'Patient', id: 'v-1', active: false });
  assert.equal((await reads.read<Patient>('Patient', 'v-1')).active, false);
});
