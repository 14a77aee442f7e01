import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';

/**
 * Maya's story from the customer's article (seeds/000), end to end through the real
 * interfaces: her GP's EHR over FHIR, her lab over HL7 v2, the phone system and the reminder
 * tool over FHIR — each with its own record of her, under slightly different demographics.
 * One 360° view, her stage, and her open follow-up on the coordinator's worklist.
 */
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const hl7Time = (days: number) => at(days).replace(/[-:T]/g, '').slice(0, 14);

function gpRecord(): Bundle {
  const maya = 'urn:uuid:6f1f5c1e-0000-4000-8000-000000000001';
  const referral = { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' };
  const entry = (fullUrl: string, resource: Resource) => ({
    fullUrl,
    resource: { ...resource, meta: { source: 'gp-ehr' } },
    request: { method: 'POST', url: resource.resourceType },
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      entry(maya, {
        resourceType: 'Patient',
        identifier: [{ system: 'https://gp.example/mrn', value: 'GP-1042' }],
        name: [{ family: 'Okafor', given: ['Maya'] }],
        gender: 'female',
        birthDate: '1988-04-12',
        telecom: [
          { system: 'phone', use: 'mobile', value: '+1-541-555-2674', rank: 1 },
          { system: 'email', value: 'maya.okafor@example.com', rank: 2 },
        ],
        address: [{ line: ['42 Orchard Lane'], city: 'Riverton', state: 'OR', postalCode: '97403' }],
      }),
      entry('urn:uuid:6f1f5c1e-0000-4000-8000-000000000002', {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: maya },
        period: { start: at(-21), end: at(-21) },
        reasonCode: [{ text: 'Tired for several weeks' }],
      }),
      entry('urn:uuid:6f1f5c1e-0000-4000-8000-000000000003', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        category: [{ coding: [referral] }],
        code: { text: 'Endocrinology referral' },
        subject: { reference: maya },
        authoredOn: at(-21),
      }),
      entry('urn:uuid:6f1f5c1e-0000-4000-8000-000000000004', {
        resourceType: 'Appointment',
        status: 'booked',
        description: 'Review of blood results',
        start: at(2),
        end: at(2.02),
        participant: [{ actor: { reference: maya }, status: 'accepted' }],
      }),
      entry('urn:uuid:6f1f5c1e-0000-4000-8000-000000000005', {
        resourceType: 'Communication',
        status: 'completed',
        medium: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }],
          },
        ],
        subject: { reference: maya },
        sender: { reference: maya },
        sent: at(-4),
        payload: [{ contentString: 'Maya called to check the time of her review appointment.' }],
      }),
    ],
  } as Bundle;
}

/** Her lab knows her under its own id, with the phone number she had before. */
const labResult = () =>
  [
    `MSH|^~\\&|LAB|NORTHLAB|TL|CLINIC|${hl7Time(-20)}||ORU^R01^ORU_R01|MAYA-LAB-1|P|2.5.1`,
    'PID|1||L-88213^^^NORTHLAB^MR||OKAFOR^MAYA||19880412|F|||42 Orchard Lane^^Riverton^OR^97403||^PRN^PH^^1^541^5557731',
    'ORC|RE|ORD-77^GP|LAB-77^NORTHLAB',
    `OBR|1|ORD-77^GP|LAB-77^NORTHLAB|24323-8^Metabolic panel^LN|||${hl7Time(-21)}||||||||||||||${hl7Time(-20)}|||F`,
    `OBX|1|NM|4548-4^Hemoglobin A1c^LN||7.1|%^%^UCUM|4.0-5.6|H|||F|||${hl7Time(-21)}`,
    `OBX|2|NM|718-7^Hemoglobin^LN||11.4|g/dL^g/dL^UCUM|12.0-15.5|L|||F|||${hl7Time(-21)}`,
  ].join('\r') + '\r';

/** The reminder tool's own record of her: name, birth date and email only. */
function reminders(): Bundle {
  const record = 'urn:uuid:6f1f5c1e-0000-4000-8000-000000000010';
  const reminder = (fullUrl: string, medium: string, days: number) => ({
    fullUrl,
    resource: {
      resourceType: 'Communication',
      meta: { source: 'reminder-tool' },
      status: 'completed',
      medium: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: medium }] },
      ],
      subject: { reference: record },
      sent: at(days),
      payload: [{ contentString: 'Reminder: your review appointment is on Wednesday.' }],
    },
    request: { method: 'POST', url: 'Communication' },
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: record,
        resource: {
          resourceType: 'Patient',
          meta: { source: 'reminder-tool' },
          identifier: [{ system: 'https://reminders.example/contact', value: 'C-5521' }],
          name: [{ family: 'Okafor', given: ['Maya'] }],
          gender: 'female',
          birthDate: '1988-04-12',
          telecom: [{ system: 'email', value: 'Maya.Okafor@example.com' }],
          address: [{ postalCode: '97403' }],
        },
        request: { method: 'POST', url: 'Patient' },
      },
      reminder('urn:uuid:6f1f5c1e-0000-4000-8000-000000000011', 'EMAILWRIT', -5),
      reminder('urn:uuid:6f1f5c1e-0000-4000-8000-000000000012', 'SMSWRIT', -1),
    ],
  } as Bundle;
}

interface View {
  person: { golden?: { id: string }; records: { patient: { id: string }; source?: string }[] };
  sections: Record<string, { reference: string; source?: string; resource: Resource }[]>;
  needsAttention: { kind: string; reference: string }[];
  journey: {
    stages: { journey: string; stage: string; daysInStage: number }[];
    painPoints: { rule: string }[];
  };
}
interface WorklistBody {
  total: number;
  items: { id: string; patient?: string; focus?: string; rule?: string; status: string }[];
}

describeEachBackend("Maya's journey end to end", (backend) => {
  let platform: TestPlatform;
  let gpPatientId = '';
  let referralId = '';
  before(async () => {
    platform = await startTestPlatform(backend);
  });
  after(() => platform.stop());

  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await platform.fetch(path, init);
    assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  const postJson = <T>(path: string, body: unknown) =>
    json<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });

  test('GP, lab, phone and reminder records come together in one 360 view', async () => {
    const gp = await postJson<Bundle>('/fhir', gpRecord());
    const locations = (gp.entry ?? []).map((entry) => entry.response?.location ?? '');
    gpPatientId = locations[0]!.split('/')[1]!;
    referralId = locations[2]!.split('/')[1]!;
    const ack = await platform.fetch('/hl7v2', {
      method: 'POST',
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: labResult(),
    });
    assert.match(await ack.text(), /MSA\|AA\|MAYA-LAB-1/);
    await postJson('/fhir', reminders());
    await platform.worker.drain();

    const view = await json<View>(`/api/patients/${gpPatientId}/360`);
    assert.equal(view.person.records.length, 3, 'GP, lab and reminder-tool records are one person');
    const labs = (view.sections.labs ?? []).map(
      (item) => item.resource as { code?: { coding?: { code?: string }[] } },
    );
    assert.ok(
      labs.some((lab) => lab.code?.coding?.[0]?.code === '4548-4'),
      'the HL7 lab result is in her view',
    );
    const engagement = view.sections.engagement ?? [];
    // What the sources sent, and beside it what Throughline's own engagement planned (reminders
    // of her booked appointment: no source system, they were written here).
    const imported = engagement.filter((item) => item.source !== undefined);
    assert.deepEqual([...new Set(imported.map((item) => item.source))].sort(), ['gp-ehr', 'reminder-tool']);
    assert.equal(imported.length, 3, 'her call and both reminders');
    for (const planned of engagement.filter((item) => item.source === undefined))
      assert.equal(planned.resource.resourceType, 'CommunicationRequest', planned.reference);
    assert.ok(view.needsAttention.some((item) => item.kind === 'referral-not-booked'));
  });

  test('her stage is derived from the events, with pain points', async () => {
    const view = await json<View>(`/api/patients/${gpPatientId}/360`);
    const main = view.journey.stages.find((stage) => stage.journey === 'patient-journey');
    assert.equal(main?.stage, 'diagnosis-treatment');
    assert.equal(main?.daysInStage, 21);
    assert.ok(view.journey.painPoints.some((point) => point.rule === 'referral-not-booked-in-time'));
  });

  test('her open follow-up is on the worklist, and closes by itself when the referral is booked', async () => {
    const list = await json<WorklistBody>('/api/worklists/referrals-to-chase');
    const item = list.items.find((entry) => entry.focus === `ServiceRequest/${referralId}`);
    assert.ok(item, JSON.stringify(list));
    const claimed = await postJson<{ status: string }>(`/api/worklists/tasks/${item.id}/claim`, {});
    assert.equal(claimed.status, 'in-progress');

    await postJson('/fhir/Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      description: 'Endocrinology',
      start: at(9),
      end: at(9.03),
      basedOn: [{ reference: `ServiceRequest/${referralId}` }],
      participant: [{ actor: { reference: `Patient/${gpPatientId}` }, status: 'accepted' }],
    });
    await platform.worker.drain();
    const after = await json<WorklistBody>('/api/worklists/referrals-to-chase');
    assert.equal(
      after.items.find((entry) => entry.id === item.id),
      undefined,
    );
    const task = await json<{ status: string; businessStatus?: { coding: { code: string }[] } }>(
      `/fhir/Task/${item.id}`,
    );
    assert.equal(task.status, 'completed');
    assert.equal(task.businessStatus?.coding[0]?.code, 'closed-by-record');
  });

  test('signed in to the portal, Maya sees her whole linked record — the lab results too — and nobody else', async () => {
    const token = await patientToken(platform, gpPatientId);
    const response = await platform.fetch(`/api/patients/${gpPatientId}/360`, { token });
    assert.equal(response.status, 200, await response.clone().text());
    const view = (await response.json()) as View;
    assert.equal(view.person.records.length, 3);
    assert.ok((view.sections.labs ?? []).length > 0, 'her lab results, filed under the lab record');
    const labs = (await (await platform.fetch('/fhir/Observation?code=4548-4', { token })).json()) as Bundle;
    assert.equal(labs.entry?.length, 1);
    const everyone = (await (await platform.fetch('/fhir/Patient', { token })).json()) as Bundle;
    assert.ok(
      (everyone.entry ?? []).every(
        (entry) =>
          view.person.records.some((r) => r.patient.id === entry.resource?.id) ||
          view.person.golden?.id === entry.resource?.id,
      ),
    );
  });

  test('a full recomputation changes nothing that events already settled; it is for administrators', async () => {
    const sweep = await postJson<{ people: number; writes: number }>('/api/journeys/$recompute', {});
    assert.equal(sweep.people, 1);
    assert.equal(sweep.writes, 0);
    const coordinator = await staffToken(platform, 'care-coordinator');
    const refused = await platform.fetch('/api/journeys/$recompute', { method: 'POST', token: coordinator });
    assert.equal(refused.status, 403);
  });

  test('the cohort view counts her stage, and worklists report their counts', async () => {
    const cohort = await json<{ patients: number; stages: { stage: string; current: number }[] }>(
      '/api/journeys/patient-journey/cohort',
    );
    assert.equal(cohort.patients, 1);
    assert.equal(cohort.stages.find((row) => row.stage === 'diagnosis-treatment')?.current, 1);
    const lists = await json<{ worklists: { name: string; count: number }[] }>('/api/worklists');
    assert.deepEqual(
      lists.worklists.map((list) => list.name),
      [
        'care-gaps',
        'referrals-to-chase',
        'unanswered-messages',
        'follow-ups',
        'record-corrections',
        'unconfirmed-appointments',
        'possible-duplicates',
        'outreach-failures',
        'reschedule-requests',
        'call-backs',
      ],
    );
  });

  test("the funnel's click-through lists who is in a stage now; an unknown stage is a 400", async () => {
    const cohort = await json<{ members?: { patient: string; since: string; stalled: boolean }[] }>(
      '/api/journeys/patient-journey/cohort?stage=diagnosis-treatment',
    );
    assert.equal(cohort.members?.length, 1);
    assert.match(cohort.members![0]!.patient, /^Patient\//);
    assert.ok(Date.parse(cohort.members![0]!.since) > 0);
    const empty = await json<{ members?: unknown[] }>('/api/journeys/patient-journey/cohort?stage=awareness');
    assert.deepEqual(empty.members, []);
    const unknown = await platform.fetch('/api/journeys/patient-journey/cohort?stage=nowhere');
    assert.equal(unknown.status, 400);
  });

  test('signal rules are listed by title, so the journey map names pain points in words', async () => {
    const rules = await json<{ id: string; kind: string; title: string }[]>('/api/signal-rules');
    assert.deepEqual(
      rules.find((rule) => rule.id === 'referral-not-booked-in-time'),
      { id: 'referral-not-booked-in-time', kind: 'pain-point', title: 'Referral not booked within 14 days' },
    );
  });
});
