import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent, Bundle, Patient } from '@medplum/fhirtypes';
import { verifyAuditChain } from '../access/index.ts';
import { systemClientToken } from './testing/role-tokens.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const REST_INTERACTION = 'http://hl7.org/fhir/restful-interaction';

describeEachBackend('audit report over HTTP', (backend) => {
  let platform: TestPlatform;
  let patientId: string;
  before(async () => {
    platform = await startTestPlatform(backend);
    const created = await platform.fetch('/fhir/Patient', {
      method: 'POST',
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Okafor', given: ['Maya'] }] }),
    });
    patientId = ((await created.json()) as Patient).id!;
    await platform.fetch(`/fhir/Patient/${patientId}`);
  });
  after(() => platform.stop());

  /** A client of its own, with the given roles and scopes, and a token for it. */
  const tokenFor = (clientId: string, roles: string[], scopes: string[]) =>
    systemClientToken(platform, { clientId, roles, scopes });
  const auditRows = (action: string, principal: string) =>
    platform.db.query<{ outcome: string; patients: string[] }>(
      'SELECT outcome, patients FROM audit_log WHERE action = $1 AND principal = $2 ORDER BY id',
      [action, principal],
    );

  test('the report is a Bundle of AuditEvents: who, what patient, what action, outcome, from where', async () => {
    // By user: the identity service reads new patients too.
    const response = await platform.fetch(
      `/api/audit?patient=Patient/${patientId}&action=read&user=test-admin`,
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const bundle = (await response.json()) as Bundle<AuditEvent>;
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.entry?.length, 1);
    const event = bundle.entry![0]!.resource!;
    assert.equal(event.resourceType, 'AuditEvent');
    assert.equal(event.action, 'R');
    assert.equal(event.outcome, '0');
    assert.ok(event.subtype?.some((c) => c.system === REST_INTERACTION && c.code === 'read'));
    assert.equal(event.agent?.[0]?.who?.identifier?.value, 'test-admin');
    assert.equal(event.agent?.[0]?.who?.display, 'Administrator');
    assert.ok(event.agent?.[0]?.network?.address);
    assert.ok(event.entity?.some((e) => e.what?.reference === `Patient/${patientId}`));
    assert.ok(event.entity?.some((e) => e.type?.code === 'XrequestId' && e.what?.identifier?.value));
    assert.ok(!Number.isNaN(Date.parse(event.recorded)));
  });

  test('filters by user, action and time; pages with _count and a next link', async () => {
    const json = async (path: string) => (await (await platform.fetch(path)).json()) as Bundle<AuditEvent>;
    const page = await json(`/api/audit?user=test-admin&action=create,read&_count=1`);
    assert.equal(page.entry?.length, 1);
    const next = page.link?.find((link) => link.relation === 'next')?.url;
    assert.ok(next);
    const second = await json(next.slice(platform.url.length));
    assert.notEqual(second.entry?.[0]?.resource?.id, page.entry?.[0]?.resource?.id);
    const future = await json(`/api/audit?from=2999-01-01`);
    assert.equal(future.entry?.length, 0);
    const past = await json(`/api/audit?to=2000-01-01&user=test-admin`);
    assert.equal(past.entry?.length, 0);
    const bad = await platform.fetch('/api/audit?_count=0');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
    assert.equal((await platform.fetch('/api/audit?from=yesterday')).status, 400);
  });

  test('"who looked at my record" lists the reads of one patient, by name', async () => {
    const response = await platform.fetch(`/api/patients/${patientId}/access-log`);
    assert.equal(response.status, 200);
    const log = (await response.json()) as { patient: string; accesses: { who: string; action: string }[] };
    assert.equal(log.patient, patientId);
    assert.ok(log.accesses.some((access) => access.who === 'Administrator' && access.action === 'read'));
  });

  test('reading the audit log is audited itself, naming the patients it showed', async () => {
    await platform.fetch(`/api/patients/${patientId}/access-log`);
    const rows = await auditRows('audit-read', 'test-admin');
    assert.ok(rows.rows.length > 0);
    assert.ok(rows.rows.every((row) => row.outcome === 'success'));
    assert.ok(rows.rows.at(-1)!.patients.includes(patientId));
  });

  test('only admin or privacy-officer may read it (the role, not a scope); a wildcard scope is not enough', async () => {
    const nurse = await tokenFor('nurse-app', ['nurse'], ['system/*.cruds']);
    const refused = await platform.fetch('/api/audit', { token: nurse });
    assert.equal(refused.status, 403);
    assert.equal(
      (await platform.fetch(`/api/patients/${patientId}/access-log`, { token: nurse })).status,
      403,
    );
    assert.deepEqual(
      (await auditRows('audit-read', 'nurse-app')).rows.map((row) => row.outcome),
      ['denied', 'denied'],
    );
    const privacy = await tokenFor('privacy-app', ['privacy-officer'], ['system/Patient.rs']);
    assert.equal((await platform.fetch('/api/audit', { token: privacy })).status, 200);
    const scopeOnly = await tokenFor('scope-only-app', [], ['system/AuditEvent.rs']);
    assert.equal((await platform.fetch('/api/audit', { token: scopeOnly })).status, 403, 'a scope alone');
    const nurseScoped = await tokenFor('nurse-audit-app', ['nurse'], ['system/AuditEvent.rs']);
    assert.equal((await platform.fetch('/api/audit', { token: nurseScoped })).status, 403);
    const siem = await tokenFor('siem-export', ['integration'], ['system/AuditEvent.rs']);
    assert.equal((await platform.fetch('/api/audit', { token: siem })).status, 200, 'integration + scope');
    const anonymous = await fetch(`${platform.url}/api/audit`);
    assert.equal(anonymous.status, 401);
  });

  test('after all this traffic the hash chain still verifies', async () => {
    const result = await verifyAuditChain(platform.db);
    assert.equal(result.broken, undefined);
    assert.ok(result.rowsChecked > 5);
  });
});
