import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { finalResult } from './testing/care-records.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Privacy requests: export everything about a person; erase contact and engagement data, keep and flag the clinical record. */
describeEachBackend('privacy requests', (backend) => {
  let platform: TestPlatform;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const PHONE = '+1-541-555-0199';

  const create = (resource: { resourceType: string; [element: string]: unknown }) =>
    platform.create(resource);
  const as = (who: string, path: string, init: RequestInit = {}) =>
    platform.fetch(path, { ...init, token: tokens[who], headers: { 'content-type': 'application/json' } });

  before(async () => {
    platform = await startTestPlatform(backend);
    ids.patient = await create({
      resourceType: 'Patient',
      name: [{ family: 'Erasmus', given: ['Eda'] }],
      birthDate: '1970-02-02',
      telecom: [{ system: 'phone', value: PHONE }],
      address: [{ line: ['1 Quiet Lane'], postalCode: '97403' }],
    });
    ids.other = await create({ resourceType: 'Patient', name: [{ family: 'Other' }] });
    const subject = { reference: `Patient/${ids.patient}` };
    ids.lab = await create(finalResult('Observation', { subject, code: { text: 'HbA1c' } }));
    ids.sms = await create({
      resourceType: 'Communication',
      status: 'completed',
      subject,
      payload: [{ contentString: `Call ${PHONE}` }],
    });
    ids.relative = await create({
      resourceType: 'RelatedPerson',
      patient: subject,
      telecom: [{ system: 'phone', value: '+1-541-555-0100' }],
    });
    // A second version, so erasure has history to forget.
    const current = (await (await platform.fetch(`/fhir/Patient/${ids.patient}`)).json()) as Patient;
    await platform.fetch(`/fhir/Patient/${ids.patient}`, {
      method: 'PUT',
      body: JSON.stringify({ ...current, gender: 'female' }),
    });
    await platform.worker.drain();
    for (const role of ['privacy-officer', 'front-desk']) tokens[role] = await staffToken(platform, role);
    tokens.patient = await patientToken(platform, ids.patient);
  });
  after(() => platform.stop());

  test('export: everything about the person, as a Bundle or ndjson, for the privacy officer or the patient', async () => {
    const bundle = (await (
      await as('privacy-officer', `/api/privacy/patients/${ids.patient}/export`)
    ).json()) as Bundle;
    const exported = new Set(bundle.entry?.map((entry) => entry.resource?.id));
    for (const id of [ids.patient, ids.lab, ids.sms, ids.relative])
      assert.ok(exported.has(id), `${id} exported`);
    const ndjson = await (
      await as('patient', `/api/privacy/patients/${ids.patient}/export?format=ndjson`)
    ).text();
    assert.ok(ndjson.trim().split('\n').length >= 4);
    assert.equal((await as('front-desk', `/api/privacy/patients/${ids.patient}/export`)).status, 403);
    assert.equal((await as('patient', `/api/privacy/patients/${ids.other}/export`)).status, 403);
    const audited = await platform.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'privacy-export' AND $1 = ANY(patients)`,
      [ids.patient],
    );
    assert.equal(audited.rows.length, 2);
  });

  test('erasure: contact data and engagement go, with their history; the clinical record stays, flagged', async () => {
    assert.equal(
      (
        await as('privacy-officer', `/api/privacy/patients/${ids.patient}/erase`, {
          method: 'POST',
          body: '{}',
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await as('front-desk', `/api/privacy/patients/${ids.patient}/erase`, {
          method: 'POST',
          body: JSON.stringify({ reason: 'GDPR art. 17 request #42' }),
        })
      ).status,
      403,
    );
    const erased = await as('privacy-officer', `/api/privacy/patients/${ids.patient}/erase`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'GDPR art. 17 request #42' }),
    });
    assert.equal(erased.status, 200, await erased.clone().text());
    const patient = (await (await platform.fetch(`/fhir/Patient/${ids.patient}`)).json()) as Patient;
    assert.equal(patient.telecom, undefined);
    assert.equal(patient.address, undefined);
    assert.equal(patient.birthDate, '1970-02-02', 'the clinical identity stays');
    assert.ok(patient.meta?.tag?.some((tag) => tag.code === 'contact-erased'));
    assert.equal(
      (await platform.fetch(`/fhir/Observation/${ids.lab}`)).status,
      200,
      'the clinical record stays',
    );
    assert.equal((await platform.fetch(`/fhir/Communication/${ids.sms}`)).status, 410);
    const history = await (await platform.fetch(`/fhir/Patient/${ids.patient}/_history`)).text();
    const smsHistory = await (await platform.fetch(`/fhir/Communication/${ids.sms}/_history`)).text();
    assert.ok(
      !history.includes(PHONE) && !smsHistory.includes(PHONE),
      'no earlier version keeps the phone number',
    );
    const flags = (await (await platform.fetch(`/fhir/Flag?patient=${ids.patient}`)).json()) as Bundle;
    assert.ok(flags.entry?.some((entry) => JSON.stringify(entry.resource).includes('contact-erased')));
  });
});
