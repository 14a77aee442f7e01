import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * The audit log as FHIR `AuditEvent` (issue 13 item 2): what `/api/audit` holds is searchable
 * at `/fhir/AuditEvent` with the R4 parameters, under the same role rules, every read of it
 * audited; integration clients post their own events into the chain; nobody changes one.
 */
let platform: TestPlatform;
let patient = '';
const search = async (query: string, token?: string) => {
  const response = await platform.fetch(`/fhir/AuditEvent?${query}`, { token });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Bundle<AuditEvent>;
};
const events = (bundle: Bundle<AuditEvent>) => (bundle.entry ?? []).map((entry) => entry.resource!);

before(async () => {
  platform = await startTestPlatform(pgliteBackend);
  patient = await platform.create({ resourceType: 'Patient', name: [{ family: 'Audited' }] } as never);
  await platform.fetch(`/fhir/Patient/${patient}`);
});
after(() => platform.stop());

test('searchable by entity, patient, action, outcome and date, newest first or oldest first', async () => {
  // Every search of the log is itself audited, naming the patient: compare the record's own rows.
  const own = 'subtype=create,read';
  const byEntity = events(await search(`entity=Patient/${patient}&${own}`));
  assert.ok(byEntity.length >= 2, 'the create and the read');
  for (const event of byEntity)
    assert.ok(event.entity?.some((entity) => entity.what?.reference === `Patient/${patient}`));
  assert.deepEqual(
    events(await search(`patient=${patient}&${own}`)).map((e) => e.id),
    byEntity.map((e) => e.id),
  );
  const reads = events(await search(`patient=${patient}&action=R`));
  assert.ok(reads.length >= 1 && reads.every((event) => event.action === 'R'));
  const creates = events(await search(`patient=${patient}&subtype=create`));
  assert.ok(creates.length === 1 && creates[0]!.action === 'C');
  const today = new Date().toISOString().slice(0, 10);
  assert.ok(events(await search(`patient=${patient}&date=ge${today}`)).length >= 2);
  assert.equal(events(await search(`patient=${patient}&date=lt2000-01-01`)).length, 0);
  const oldest = events(await search(`patient=${patient}&${own}&_sort=date`));
  assert.deepEqual(
    oldest.map((e) => e.id),
    [...byEntity].reverse().map((e) => e.id),
  );
  const nurse = await staffToken(platform, 'nurse');
  assert.equal((await platform.fetch('/fhir/AuditEvent', { token: nurse })).status, 403);
  const denied = events(await search('outcome=4&subtype=audit-read'));
  assert.ok(denied.length >= 1 && denied.every((event) => event.outcome === '4'));
});

test('pages with _count and a next link; _total counts; reading the log is audited', async () => {
  const first = await search(`patient=${patient}&_count=1&_total=accurate`);
  assert.ok((first.total ?? 0) >= 2);
  const next = first.link?.find((link) => link.relation === 'next')?.url;
  assert.ok(next && !next.includes('_security'), next);
  const second = await search(new URL(next).search.slice(1));
  assert.notEqual(events(second)[0]?.id, events(first)[0]?.id);
  const reads = await platform.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'audit-read' AND $1 = ANY(patients)`,
    [patient],
  );
  assert.ok((reads.rows[0]?.n ?? 0) >= 2);
});

test('integration clients post events into the chain; nobody changes one', async () => {
  const posted: AuditEvent = {
    resourceType: 'AuditEvent',
    type: {
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110110',
      display: 'Patient Record',
    },
    action: 'R',
    recorded: '2026-12-01T10:00:00Z',
    outcome: '0',
    agent: [{ who: { display: 'EHR user 7' }, requestor: true }],
    source: { observer: { display: 'Partner EHR' } },
    entity: [{ what: { reference: `Patient/${patient}` } }],
  };
  const created = await platform.fetch('/fhir/AuditEvent', { method: 'POST', body: JSON.stringify(posted) });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = (await created.json()) as AuditEvent;
  const read = (await (await platform.fetch(`/fhir/AuditEvent/${id}`)).json()) as AuditEvent;
  assert.equal(read.source.observer.display, 'Partner EHR');
  assert.ok(events(await search(`patient=${patient}&subtype=external`)).some((event) => event.id === id));
  const invalid = await platform.fetch('/fhir/AuditEvent', {
    method: 'POST',
    body: JSON.stringify({ resourceType: 'AuditEvent', action: 'R' }),
  });
  assert.equal(invalid.status, 400);
  const admin = await staffToken(platform, 'admin');
  const byStaff = await platform.fetch('/fhir/AuditEvent', {
    method: 'POST',
    token: admin,
    body: JSON.stringify(posted),
  });
  assert.equal(byStaff.status, 403);
  const changed = await platform.fetch(`/fhir/AuditEvent/${id}`, {
    method: 'PUT',
    body: JSON.stringify(read),
  });
  assert.equal(changed.status, 403);
  assert.equal((await platform.fetch(`/fhir/AuditEvent/${id}`, { method: 'DELETE' })).status, 403);
});
