import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { GOLDEN_TAG } from '../identity/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { grantFor, seedProxyFixture, type ProxyFixture } from './testing/proxy-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * "Download my data" in the portal (issue 20): her whole record across her linked records as a
 * FHIR Bundle, read with her own scoped store and audited; nobody else's data, and for a
 * caregiver only with her grant's `record` scope, without what is labelled or hidden from her.
 */
describeEachBackend('the portal: download my data', (backend) => {
  let platform: TestPlatform;
  let f: ProxyFixture;
  let linked = { record: '', observation: '' };
  before(async () => {
    platform = await startTestPlatform(backend);
    f = await seedProxyFixture(platform);
    linked = await linkSecondRecord(platform, f.ada);
  });
  after(() => platform.stop());

  const download = (token: string, actingFor?: string) =>
    platform.fetch('/api/portal/export', { token, headers: actingFor ? { 'x-acting-for': actingFor } : {} });
  const idsIn = async (response: Response) =>
    new Set(((await response.json()) as Bundle).entry?.map((entry) => entry.resource?.id));
  const exportAudits = async (patient: string) =>
    (
      await platform.db.query<{ patients: string[]; detail: string | null }>(
        `SELECT patients, detail FROM audit_log WHERE action = 'portal-export' AND $1 = ANY(patients)`,
        [patient],
      )
    ).rows;

  test('her whole record across her linked records, as a Bundle file, audited; nobody else’s', async () => {
    const response = await download(f.tokens.ada);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="health-record-/);
    const ids = await idsIn(response);
    for (const id of [f.ada, f.adaData.observation, f.adaData.appointment, linked.record, linked.observation])
      assert.ok(ids.has(id), `${id} downloaded`);
    for (const id of [f.maya, f.vera, f.veraObservation]) assert.ok(!ids.has(id), `${id} is not hers`);
    const [row] = await exportAudits(f.ada);
    assert.ok(row?.patients.includes(linked.record), 'the audit names every record read');
  });

  test('a caregiver downloads only with the record scope, and never what is labelled or hidden from her', async () => {
    const formsOnly = await platform.create(
      grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['forms'] }),
    );
    assert.equal((await download(f.tokens.maya, f.ada)).status, 403);
    await platform.repository.delete('RelatedPerson', formsOnly);
    await platform.create(grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['record'] }));
    const response = await download(f.tokens.maya, f.ada);
    assert.equal(response.status, 200);
    const ids = await idsIn(response);
    assert.ok(ids.has(f.adaData.observation), 'her plain result');
    for (const id of [f.adaData.hiv, f.adaData.psy, f.adaData.hiddenAllergy, f.veraObservation, f.maya])
      assert.ok(!ids.has(id), `${id} is not for her caregiver`);
    const rows = await exportAudits(f.ada);
    assert.ok(
      rows.some((row) => row.detail?.includes('RelatedPerson/')),
      'audited as acting for Ada',
    );
    // The privacy officer's route is not a way around the grant.
    const privacy = await platform.fetch(`/api/privacy/patients/${f.ada}/export`, {
      token: f.tokens.maya,
      headers: { 'x-acting-for': f.ada },
    });
    assert.equal(privacy.status, 403);
  });

  test('staff have no portal download: 403', async () => {
    assert.equal((await download(f.tokens.frontDesk)).status, 403);
  });
});

/** A second record of Ada's, linked to hers through a golden record as identity links them. */
async function linkSecondRecord(platform: TestPlatform, ada: string) {
  const record = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Ada'], family: 'Okafor' }],
  } as Patient);
  const golden = await platform.create({
    resourceType: 'Patient',
    meta: { tag: [GOLDEN_TAG] },
    link: [ada, record].map((id) => ({ other: { reference: `Patient/${id}` }, type: 'seealso' })),
  } as Patient);
  for (const id of [ada, record]) {
    const patient = await platform.repository.read<Patient>('Patient', id);
    await platform.update({
      ...patient,
      link: [{ other: { reference: `Patient/${golden}` }, type: 'refer' }],
    });
  }
  const observation = await platform.create({
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'Ferritin' },
    subject: { reference: `Patient/${record}` },
  } as never);
  return { record, observation };
}
