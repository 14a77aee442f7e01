import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { bulkExport } from './testing/bulk-client.ts';

const observation = (id: string, patient: string, code: string): Resource =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${patient}` },
  }) as Resource;

describeEachBackend('FHIR Bulk Data export', (backend) => {
  let platform: TestPlatform;
  let token: string;
  const patients = ['bulk-a', 'bulk-b', 'bulk-c'];
  before(async () => {
    platform = await startTestPlatform(backend);
    token = await platform.token();
    const resources: Resource[] = patients.map(
      (id) => ({ resourceType: 'Patient', id, gender: 'female' }) as Resource,
    );
    // More than one page (1,000) of Observations: the export must page by key, not stop at one.
    for (let i = 0; i < 1_100; i++)
      resources.push(observation(`obs-${i}`, patients[i % 3]!, i % 10 === 0 ? '8867-4' : '2339-0'));
    resources.push({
      resourceType: 'Group',
      id: 'bulk-group',
      type: 'person',
      actual: true,
      member: [{ entity: { reference: 'Patient/bulk-a' } }],
    } as Resource);
    await platform.repository.importResources(resources);
  });
  after(() => platform.stop());

  const storeCount = async (query: string) => {
    const response = await platform.fetch(`/fhir/${query}${query.includes('?') ? '&' : '?'}_summary=count`);
    return ((await response.json()) as { total: number }).total;
  };

  test('system export: a file per type, counts equal to the store, every resource once', async () => {
    const { manifest, byType } = await bulkExport(`${platform.url}/fhir/$export`, token);
    assert.equal(manifest.requiresAccessToken, true);
    assert.equal(manifest.request, `${platform.url}/fhir/$export`);
    assert.deepEqual(manifest.error, []);
    for (const type of ['Patient', 'Observation', 'Group']) {
      const count = manifest.output.find((file) => file.type === type)?.count;
      assert.equal(count, await storeCount(type), type);
      assert.equal(new Set(byType.get(type)!.map((resource) => resource.id)).size, count, type);
    }
    const rows = await platform.db.query<{ action: string }>(
      `SELECT DISTINCT action FROM audit_log WHERE action IN ('bulk-export', 'bulk-download', 'search') AND principal = 'test-admin'`,
    );
    assert.deepEqual(rows.rows.map((row) => row.action).sort(), ['bulk-download', 'bulk-export', 'search']);
  });

  test('_type and _typeFilter narrow the export; Patient level holds compartment types only', async () => {
    const query = `_type=Patient,Observation&_typeFilter=${encodeURIComponent('Observation?code=8867-4')}`;
    const { manifest } = await bulkExport(`${platform.url}/fhir/Patient/$export?${query}`, token);
    const counts = Object.fromEntries(manifest.output.map((file) => [file.type, file.count]));
    assert.deepEqual(counts, { Patient: 3, Observation: await storeCount('Observation?code=8867-4') });
    assert.equal(counts.Observation, 110);
  });

  test('Group level: only the members and their data', async () => {
    const { byType } = await bulkExport(`${platform.url}/fhir/Group/bulk-group/$export`, token);
    assert.deepEqual(
      byType.get('Patient')!.map((resource) => resource.id),
      ['bulk-a'],
    );
    assert.equal(byType.get('Observation')!.length, await storeCount('Observation?subject=Patient/bulk-a'));
    assert.equal(byType.has('Group'), false);
    // The Group's own routes still answer.
    assert.equal((await platform.fetch('/fhir/Group/bulk-group')).status, 200);
  });

  test('Group level: _typeFilter narrows it as it does the others', async () => {
    const filter = encodeURIComponent('Observation?code=8867-4');
    const { manifest } = await bulkExport(
      `${platform.url}/fhir/Group/bulk-group/$export?_type=Patient,Observation&_typeFilter=${filter}`,
      token,
    );
    const counts = Object.fromEntries(manifest.output.map((file) => [file.type, file.count]));
    const expected = await storeCount('Observation?subject=Patient/bulk-a&code=8867-4');
    assert.deepEqual(counts, { Patient: 1, Observation: expected });
    assert.ok(expected > 0 && expected < (await storeCount('Observation?subject=Patient/bulk-a')));
  });

  test('_since returns only what changed after it', async () => {
    const first = await bulkExport(`${platform.url}/fhir/$export?_type=Patient,Observation`, token);
    const since = first.manifest.transactionTime;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await platform.fetch('/fhir/Patient/bulk-b', {
      method: 'PUT',
      body: JSON.stringify({ resourceType: 'Patient', id: 'bulk-b', gender: 'male' }),
    });
    const added = await platform.create(observation('ignored', 'bulk-c', '8867-4'));
    const { byType } = await bulkExport(
      `${platform.url}/fhir/$export?_type=Patient,Observation&_since=${encodeURIComponent(since)}`,
      token,
    );
    assert.deepEqual(
      byType.get('Patient')!.map((resource) => resource.id),
      ['bulk-b'],
    );
    assert.deepEqual(
      byType.get('Observation')!.map((resource) => resource.id),
      [added],
    );
  });

  test('a token without a system scope gets 403; bad parameters 400; delete cancels', async () => {
    const staff = await staffToken(platform, 'admin');
    const asStaff = await fetch(`${platform.url}/fhir/$export`, {
      headers: { authorization: `Bearer ${staff}`, prefer: 'respond-async' },
    });
    assert.equal(asStaff.status, 403);
    const auth = { authorization: `Bearer ${token}` };
    const noPrefer = await fetch(`${platform.url}/fhir/$export`, { headers: auth });
    assert.equal(noPrefer.status, 400);
    const badType = await fetch(`${platform.url}/fhir/$export?_type=Nope`, {
      headers: { ...auth, prefer: 'respond-async' },
    });
    assert.equal(badType.status, 400);
    const badSince = await fetch(`${platform.url}/fhir/$export?_since=yesterday`, {
      headers: { ...auth, prefer: 'respond-async' },
    });
    assert.equal(badSince.status, 400);
    const { statusUrl, manifest } = await bulkExport(`${platform.url}/fhir/$export?_type=Patient`, token);
    assert.equal((await fetch(statusUrl, { method: 'DELETE', headers: auth })).status, 202);
    assert.equal((await fetch(statusUrl, { headers: auth })).status, 404);
    assert.equal((await fetch(manifest.output[0]!.url, { headers: auth })).status, 404);
  });
});
