import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { bulkExport, downloadFile, type Manifest } from './testing/bulk-client.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const observation = (id: string): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/del-keep' },
  }) as Resource;

/** What a manifest's `deleted` files say was deleted: `Type/id` of every DELETE entry, sorted. */
async function deletedIn(manifest: Manifest, token: string): Promise<string[]> {
  const urls: string[] = [];
  for (const file of manifest.deleted ?? []) {
    assert.equal(file.type, 'Bundle');
    for (const bundle of await downloadFile<Bundle>(file, token)) {
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, 'transaction');
      for (const entry of bundle.entry ?? []) {
        assert.equal(entry.request?.method, 'DELETE');
        urls.push(entry.request.url);
      }
    }
  }
  return urls.sort();
}

/**
 * IG v2 manifest `deleted`, read by an independent client (plain fetch): with `_since`, the
 * resources deleted after it, as transaction Bundles of DELETE entries; not those deleted
 * before it, nor one deleted and created again; only the types the client's system scopes read.
 */
describeEachBackend('FHIR Bulk Data export: deleted', (backend) => {
  let platform: TestPlatform;
  let token: string;
  let since: string;
  const remove = async (path: string) =>
    assert.equal((await platform.fetch(`/fhir/${path}`, { method: 'DELETE' })).status < 300, true, path);
  before(async () => {
    platform = await startTestPlatform(backend);
    token = await platform.token();
    const patients = ['del-keep', 'del-before', 'del-after'].map(
      (id) => ({ resourceType: 'Patient', id }) as Resource,
    );
    const observations = ['obs-before', 'obs-after', 'obs-again', 'obs-kept'].map(observation);
    await platform.repository.importResources([...patients, ...observations]);
    await remove('Patient/del-before');
    await remove('Observation/obs-before');
    await new Promise((resolve) => setTimeout(resolve, 10));
    since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await remove('Patient/del-after');
    await remove('Observation/obs-after');
    await remove('Observation/obs-again');
    await platform.repository.update(observation('obs-again'));
  });
  after(() => platform.stop());

  const sinceQuery = () => `_since=${encodeURIComponent(since)}`;

  test('deleted after _since: listed; deleted before, or deleted and created again: not', async () => {
    const { manifest, byType } = await bulkExport(
      `${platform.url}/fhir/$export?_type=Patient,Observation&${sinceQuery()}`,
      token,
    );
    assert.deepEqual(await deletedIn(manifest, token), ['Observation/obs-after', 'Patient/del-after']);
    assert.deepEqual(
      byType.get('Observation')?.map((resource) => resource.id),
      ['obs-again'],
      'the one created again is output',
    );
  });

  test('without _since the manifest has no deletions', async () => {
    const { manifest } = await bulkExport(`${platform.url}/fhir/$export?_type=Patient,Observation`, token);
    assert.equal(manifest.deleted, undefined);
  });

  test('a client whose system scope reads Patient only gets Patient deletions only', async () => {
    const patientsOnly = await platform.token('system/Patient.rs');
    const { manifest } = await bulkExport(`${platform.url}/fhir/$export?${sinceQuery()}`, patientsOnly);
    assert.deepEqual(await deletedIn(manifest, patientsOnly), ['Patient/del-after']);
  });
});
