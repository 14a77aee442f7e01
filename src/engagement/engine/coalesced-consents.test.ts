import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consent } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { pgliteBackend } from '../../store/testing/backends.ts';
import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { channelConsent } from '../testing/channel-consent.ts';
import { coalescedConsents } from './coalesced-consents.ts';

const { repo: store } = testStorePerSuite(pgliteBackend);

const consent = (patient: string, status: Consent['status'] = 'active'): Consent => ({
  ...channelConsent({ patient, permit: true, mode: 'SMSWRIT' }),
  status,
});

test('concurrent consent reads share one search; each person gets the active Consents of their own records', async () => {
  const searches: string[][] = [];
  const counted: FhirRepository = {
    ...store,
    search: (request) => (searches.push(request.params?.map(([name]) => name) ?? []), store.search(request)),
  };
  for (const id of ['a-1', 'a-2', 'b-1', 'c-1']) await store.update({ resourceType: 'Patient', id });
  const stored = async (resource: Consent) => (await store.create(resource)).resource.id!;
  const a1 = await stored(consent('a-1'));
  const a2 = await stored(consent('a-2'));
  const b1 = await stored(consent('b-1'));
  await stored(consent('b-1', 'inactive'));
  const lookup = coalescedConsents(counted);
  const [first, ...rest] = await Promise.all([['c-1'], ['a-1', 'a-2'], ['b-1'], ['c-1']].map(lookup));
  const ids = (consents: Consent[] | undefined) => (consents ?? []).map((each) => each.id).sort();
  assert.deepEqual(ids(first), []);
  assert.deepEqual(rest.map(ids), [[a1, a2].sort(), [b1], []]);
  assert.equal(searches.length, 1, 'the four people asked in the same turn went as one search');
});

test('more Consents than one page are all returned', async () => {
  await store.update({ resourceType: 'Patient', id: 'many' });
  for (let i = 0; i < 7; i += 1) await store.create(consent('many'));
  const paged: FhirRepository = {
    ...store,
    search: (request) =>
      store.search({
        ...request,
        params: request.params?.map(([name, value]) => [name, name === '_count' ? '3' : value]),
      }),
  };
  assert.equal((await coalescedConsents(paged)(['many'])).length, 7);
});

test('a Consent committed before the read is seen (no cache)', async () => {
  await store.update({ resourceType: 'Patient', id: 'late' });
  const lookup = coalescedConsents(store);
  assert.equal((await lookup(['late'])).length, 0);
  await store.create(consent('late'));
  assert.equal((await lookup(['late'])).length, 1);
});
