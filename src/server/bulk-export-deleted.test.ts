import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { bulkExport, downloadFile, type Manifest } from './testing/bulk-client.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const observation = (id: string, patient = 'del-keep'): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patient}` },
  }) as Resource;

/** Members del-keep and del-after; del-other and its Observation are outside it. */
const group = {
  resourceType: 'Group',
  id: 'del-group',
  type: 'person',
  actual: true,
  member: [{ entity: { reference: 'Patient/del-keep' } }, { entity: { reference: 'Patient/del-after' } }],
} as Resource;

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
    const patients = ['del-keep', 'del-before', 'del-after', 'del-other'].map(
      (id) => ({ resourceType: 'Patient', id }) as Resource,
    );
    const observations = ['obs-before', 'obs-after', 'obs-again', 'obs-kept'].map((id) => observation(id));
    const others = [observation('obs-other', 'del-other'), group];
    await platform.repository.importResources([...patients, ...observations, ...others]);
    await remove('Patient/del-before');
    await remove('Observation/obs-before');
    await new Promise((resolve) => setTimeout(resolve, 10));
    since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await remove('Patient/del-after');
    await remove('Observation/obs-after');
    await remove('Observation/obs-again');
    await platform.repository.update(observation('obs-again'));
    await remove('Patient/del-other');
    await remove('Observation/obs-other');
  });
  after(() => platform.stop());

  const sinceQuery = () => `_since=${encodeURIComponent(since)}`;

  test('deleted after _since: listed; deleted before, or deleted and created again: not', async () => {
    const { manifest, byType } = await bulkExport(
      `${platform.url}/fhir/$export?_type=Patient,Observation&${sinceQuery()}`,
      token,
    );
    assert.deepEqual(await deletedIn(manifest, token), [
      'Observation/obs-after',
      'Observation/obs-other',
      'Patient/del-after',
      'Patient/del-other',
    ]);
    assert.deepEqual(
      byType.get('Observation')?.map((resource) => resource.id),
      ['obs-again'],
      'the one created again is output',
    );
  });

  test("Group level: deletions in the members' compartments only, by the same rules", async () => {
    const { manifest, byType } = await bulkExport(
      `${platform.url}/fhir/Group/del-group/$export?_type=Patient,Observation&${sinceQuery()}`,
      token,
    );
    assert.deepEqual(await deletedIn(manifest, token), ['Observation/obs-after', 'Patient/del-after']);
    assert.deepEqual(
      byType.get('Observation')?.map((resource) => resource.id),
      ['obs-again'],
    );
  });

  test('without _since the manifest has no deletions', async () => {
    const { manifest } = await bulkExport(`${platform.url}/fhir/$export?_type=Patient,Observation`, token);
    assert.equal(manifest.deleted, undefined);
  });

  test('a client whose system scope reads Patient only gets Patient deletions only', async () => {
    const patientsOnly = await platform.token('system/Patient.rs');
    const { manifest } = await bulkExport(`${platform.url}/fhir/$export?${sinceQuery()}`, patientsOnly);
    assert.deepEqual(await deletedIn(manifest, patientsOnly), ['Patient/del-after', 'Patient/del-other']);
  });
});
