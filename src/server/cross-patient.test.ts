import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken } from './testing/role-tokens.ts';
import { bookedAppointment, finalResult, finishedEncounter } from './testing/care-records.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * A patient app with Ana's token tries every interaction and search path on Ben's data and
 * gets nothing: reads, version reads, history, searches (by id, by patient, compartments,
 * chains, _include/_revinclude, _has), $everything, the 360 view, timeline, journey,
 * worklists, writes of every kind, bundles, merges and the audit log.
 */
describeEachBackend('cross-patient access with a patient token', (backend) => {
  let platform: TestPlatform;
  let token = '';
  const ana: Record<string, string> = {};
  const ben: Record<string, string> = {};

  const create = (resource: { resourceType: string; [element: string]: unknown }) =>
    platform.create(resource);
  const recordOf = async (family: string, into: Record<string, string>) => {
    into.Patient = await create({ resourceType: 'Patient', name: [{ family, given: ['Test'] }] });
    const subject = { reference: `Patient/${into.Patient}` };
    into.Encounter = await create(finishedEncounter(subject));
    into.Observation = await create(
      finalResult(
        'Observation',
        { subject, code: { text: 'HbA1c' } },
        { encounter: { reference: `Encounter/${into.Encounter}` } },
      ),
    );
    into.Appointment = await create(
      bookedAppointment(subject, { start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:15:00Z' }),
    );
    into.Communication = await create({ resourceType: 'Communication', status: 'completed', subject });
  };

  before(async () => {
    platform = await startTestPlatform(backend);
    await recordOf('Anaya', ana);
    await recordOf('Benton', ben);
    await platform.worker.drain();
    token = await patientToken(platform, ana.Patient!);
  });
  after(() => platform.stop());

  const benIds = () =>
    Object.entries(ben)
      .filter(([type]) => type !== 'Patient')
      .map(([, id]) => id);

  /**
   * Nothing of Ben's in the answer: none of his resources anywhere in the body (his ids may only
   * be echoed back from the request itself), and no write of any kind succeeds.
   */
  async function getsNothing(method: string, path: string, body?: unknown): Promise<void> {
    const response = await platform.fetch(path, {
      method,
      token,
      headers: { 'content-type': 'application/fhir+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const echoed = `${path} ${JSON.stringify(body ?? '')}`;
    for (const id of benIds())
      if (!echoed.includes(id))
        assert.ok(!text.includes(id), `${method} ${path} revealed ${id}: ${text.slice(0, 300)}`);
    const json = text.startsWith('{') ? (JSON.parse(text) as Bundle) : undefined;
    if (response.ok && json) {
      const shown = resourceIds(json);
      for (const id of Object.values(ben)) assert.ok(!shown.has(id), `${method} ${path} returned ${id}`);
    }
    if (method !== 'GET' && json?.type !== 'batch-response')
      assert.ok(!response.ok, `${method} ${path} succeeded: ${response.status} ${text.slice(0, 200)}`);
  }

  test('her own data is there (the probes below are not vacuous)', async () => {
    const response = await platform.fetch(`/fhir/Observation?patient=${ana.Patient}`, { token });
    const bundle = (await response.json()) as Bundle;
    assert.deepEqual(
      bundle.entry?.map((entry) => entry.resource?.id),
      [ana.Observation],
    );
    assert.equal((await platform.fetch(`/api/patients/${ana.Patient}/360`, { token })).status, 200);
  });

  test('reads, version reads and history of his resources', async () => {
    for (const [type, id] of Object.entries(ben)) {
      await getsNothing('GET', `/fhir/${type}/${id}`);
      await getsNothing('GET', `/fhir/${type}/${id}/_history/1`);
      await getsNothing('GET', `/fhir/${type}/${id}/_history`);
      await getsNothing('GET', `/fhir/${type}/_history`);
    }
    await getsNothing('GET', '/fhir/_history');
  });

  test('searches of every shape', async () => {
    const p = ben.Patient;
    for (const [type, id] of Object.entries(ben)) await getsNothing('GET', `/fhir/${type}?_id=${id}`);
    for (const path of [
      `/fhir/Observation?patient=${p}`,
      `/fhir/Observation?subject=Patient/${p}`,
      `/fhir/Patient/${p}/Observation`,
      `/fhir/Patient/${p}/Encounter`,
      `/fhir/Patient/${p}/$everything`,
      `/fhir/Patient?name=Benton`,
      `/fhir/Patient?_id=${p}&_revinclude=Observation:subject`,
      `/fhir/Observation?subject:Patient.name=Benton`,
      `/fhir/Observation?_include=Observation:subject`,
      `/fhir/Observation?_include=Observation:encounter`,
      `/fhir/Encounter?_revinclude=Observation:encounter`,
      `/fhir/Patient?_has:Observation:subject:code=HbA1c`,
      `/fhir/Observation?code=HbA1c`,
      `/fhir/Appointment?actor=Patient/${p}`,
      `/fhir/Communication?_count=100`,
      `/fhir/Observation?_summary=count`,
      `/fhir/Observation?_total=accurate`,
    ])
      await getsNothing('GET', path);
  });

  test('the 360 view, timeline, journey and worklists', async () => {
    for (const path of ['360', 'timeline', 'journey'])
      await getsNothing('GET', `/api/patients/${ben.Patient}/${path}`);
    for (const list of [
      'care-gaps',
      'referrals-to-chase',
      'unanswered-messages',
      'unconfirmed-appointments',
      'possible-duplicates',
    ])
      await getsNothing('GET', `/api/worklists/${list}`);
    await getsNothing('GET', `/api/audit?patient=${ben.Patient}`);
    await getsNothing('GET', `/api/patients/${ben.Patient}/access-log`);
    // Raw HL7 carries everything, past masks and labels: integration clients only.
    await getsNothing('GET', '/api/hl7v2/messages');
    await getsNothing('GET', `/api/hl7v2/messages?status=failed`);
  });

  test('writes of every kind', async () => {
    const subject = { reference: `Patient/${ben.Patient}` };
    const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject };
    await getsNothing('POST', '/fhir/Observation', observation);
    await getsNothing('POST', '/fhir/Communication', {
      resourceType: 'Communication',
      status: 'completed',
      subject,
    });
    await getsNothing('PUT', `/fhir/Observation/${ben.Observation}`, { ...observation, id: ben.Observation });
    await getsNothing('PUT', `/fhir/Patient/${ben.Patient}`, {
      resourceType: 'Patient',
      id: ben.Patient,
      name: [{ family: 'Taken' }],
    });
    await getsNothing('PUT', `/fhir/Observation?_id=${ben.Observation}`, observation);
    await getsNothing('DELETE', `/fhir/Observation/${ben.Observation}`);
    await getsNothing('DELETE', `/fhir/Patient/${ben.Patient}`);
    await getsNothing('POST', '/fhir', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'GET', url: `Observation/${ben.Observation}` } }],
    });
    await getsNothing('POST', '/fhir/Appointment', {
      resourceType: 'Appointment',
      status: 'proposed',
      participant: [
        { actor: { reference: `Patient/${ana.Patient}` }, status: 'needs-action' },
        { actor: subject, status: 'needs-action' },
      ],
    });
    await getsNothing('POST', '/fhir/Communication', {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${ana.Patient}` },
      recipient: [subject],
    });
    const injected = await platform.fetch('/hl7v2', {
      method: 'POST',
      token,
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: `MSH|^~\\&|LAB|LAB|TL|TL|20261201||ORU^R01|X1|P|2.5\rPID|||${ben.Patient}^^^TL||Benton^Test\rOBR|1||X1|HIV\rOBX|1|ST|HIV||positive|||||F\r`,
    });
    assert.equal(injected.status, 403);
    await getsNothing('POST', '/fhir/Patient/$merge', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'source-patient', valueReference: { reference: `Patient/${ben.Patient}` } },
        { name: 'target-patient', valueReference: { reference: `Patient/${ana.Patient}` } },
      ],
    });
    // Nothing of his changed.
    const observationNow = (await (
      await platform.fetch(`/fhir/Observation/${ben.Observation}`)
    ).json()) as Resource;
    assert.equal(observationNow.meta?.versionId, '1');
  });
});

/** The ids of every resource anywhere in a JSON answer (bundles, views, nested records). */
function resourceIds(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) resourceIds(item, found);
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.resourceType === 'string' && typeof node.id === 'string') found.add(node.id);
    for (const child of Object.values(node)) resourceIds(child, found);
  }
  return found;
}
