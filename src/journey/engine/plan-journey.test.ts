import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource, Task } from '@medplum/fhirtypes';
import { loadDefaultCatalog } from '../definitions/definitions.ts';
import { planJourney } from './plan-journey.ts';

const catalog = loadDefaultCatalog();
const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const referral = { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' };

/** Maya, three weeks after her GP visit: bloodwork back, referral not booked, review booked. */
function mayasRecord(): Resource[] {
  return [
    {
      resourceType: 'Patient',
      id: 'maya',
      birthDate: '1988-04-12',
      telecom: [{ system: 'phone', use: 'mobile', value: '+15415552674', rank: 1 }],
    },
    {
      resourceType: 'QuestionnaireResponse',
      id: 'intake',
      status: 'completed',
      questionnaire: 'Questionnaire/intake',
      authored: daysAgo(23),
      subject: { reference: 'Patient/maya' },
    },
    {
      resourceType: 'Encounter',
      id: 'visit',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: 'Patient/maya' },
      period: { start: daysAgo(21), end: daysAgo(21) },
    },
    {
      resourceType: 'Observation',
      id: 'hba1c',
      status: 'final',
      subject: { reference: 'Patient/maya' },
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
      effectiveDateTime: daysAgo(20),
      valueQuantity: { value: 7.1, unit: '%' },
      interpretation: [{ coding: [{ code: 'H' }] }],
    },
    {
      resourceType: 'ServiceRequest',
      id: 'endo',
      status: 'active',
      intent: 'order',
      category: [{ coding: [referral] }],
      subject: { reference: 'Patient/maya' },
      authoredOn: daysAgo(21),
    },
    {
      resourceType: 'Communication',
      id: 'call',
      status: 'completed',
      sender: { reference: 'Patient/maya' },
      subject: { reference: 'Patient/maya' },
      sent: daysAgo(4),
    },
    {
      // A missed call: its call-back Task is on the call-backs worklist, so it is no message to answer.
      resourceType: 'Communication',
      id: 'missed-call',
      status: 'not-done',
      medium: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] },
      ],
      sender: { reference: 'Patient/maya' },
      subject: { reference: 'Patient/maya' },
      sent: daysAgo(1),
    },
  ] as Resource[];
}

/** What the store would hold after the writes: ids assigned, as a recomputation would read them. */
function stored(writes: Resource[]): Resource[] {
  return writes.map((resource, index) => ({ id: resource.id ?? `new-${index}`, ...resource }));
}

test("Maya's stage is derived from her record, and her unbooked referral is on the worklist", () => {
  const plan = planJourney(catalog, { personId: 'maya', resources: mayasRecord(), now });
  const main = plan.stages.find((stage) => stage.journey === 'patient-journey');
  assert.equal(main?.stage, 'diagnosis-treatment');
  assert.equal(main?.since, daysAgo(21), 'entered at the visit');
  assert.equal(main?.daysInStage, 21);
  const open = plan.signals.map((signal) => `${signal.rule.id} ${signal.focus ?? ''}`.trim()).sort();
  assert.deepEqual(open, [
    'abnormal-result-follow-up Observation/hba1c',
    'answer-patient-message Communication/call',
    'message-unanswered-two-days Communication/call',
    'referral-not-booked-in-time ServiceRequest/endo',
    'referral-to-book ServiceRequest/endo',
  ]);
  const tasks = plan.writes.filter((resource): resource is Task => resource.resourceType === 'Task');
  assert.ok(
    tasks.some(
      (task) =>
        task.focus?.reference === 'ServiceRequest/endo' &&
        task.performerType?.[0]?.coding?.[0]?.code === 'referrals-to-chase',
    ),
  );
  assert.equal(plan.writes.filter((resource) => resource.resourceType === 'Flag').length, 2);
  assert.equal(
    plan.stages.find((stage) => stage.journey === 'chronic-care'),
    undefined,
    'no chronic condition yet',
  );
});

test('recomputing an unchanged record writes nothing', () => {
  const first = planJourney(catalog, { personId: 'maya', resources: mayasRecord(), now });
  const second = planJourney(catalog, {
    personId: 'maya',
    resources: [...mayasRecord(), ...stored(first.writes)],
    now,
  });
  assert.deepEqual(second.writes, []);
});

test('a gap closes by itself when the record shows it was done, not by hand', () => {
  const first = planJourney(catalog, { personId: 'maya', resources: mayasRecord(), now });
  const booked: Resource[] = [
    {
      resourceType: 'Appointment',
      id: 'endo-visit',
      status: 'booked',
      participant: [],
      start: daysAgo(-5),
      created: daysAgo(0),
      basedOn: [{ reference: 'ServiceRequest/endo' }],
    } as Resource,
    {
      resourceType: 'Communication',
      id: 'reply',
      status: 'completed',
      sender: { reference: 'Practitioner/gp' },
      subject: { reference: 'Patient/maya' },
      sent: daysAgo(1),
    } as Resource,
  ];
  const later = planJourney(catalog, {
    personId: 'maya',
    resources: [...mayasRecord(), ...booked, ...stored(first.writes)],
    now,
  });
  const closed = later.writes.filter(
    (resource) => resource.resourceType === 'Task' && (resource as Task).status === 'completed',
  ) as Task[];
  assert.deepEqual(
    closed.map((task) => task.focus?.reference).sort(),
    ['Communication/call', 'Observation/hba1c', 'ServiceRequest/endo'],
    'the reply answers the call; the booking covers the referral and the abnormal result',
  );
  assert.ok(closed.every((task) => task.businessStatus?.coding?.[0]?.code === 'closed-by-record'));
  const inactive = later.writes.filter((resource) => resource.resourceType === 'Flag');
  assert.equal(inactive.length, 2);
});

test('a chronic condition puts the person on the chronic-care journey and opens its gap', () => {
  const diabetes = {
    resourceType: 'Condition',
    id: 'dm',
    subject: { reference: 'Patient/maya' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
  } as Resource;
  const oldLab = { ...(mayasRecord()[3] as object), effectiveDateTime: daysAgo(400) } as Resource;
  const record = [...mayasRecord().filter((r) => r.id !== 'hba1c'), oldLab, diabetes];
  const plan = planJourney(catalog, { personId: 'maya', resources: record, now });
  assert.equal(plan.stages.find((stage) => stage.journey === 'chronic-care')?.stage, 'diagnosed');
  assert.ok(plan.signals.some((signal) => signal.rule.id === 'diabetes-hba1c-overdue'));
});

test('deceased people get no gaps or pain points', () => {
  const record = mayasRecord().map((resource) =>
    resource.resourceType === 'Patient' ? ({ ...resource, deceasedBoolean: true } as Resource) : resource,
  );
  assert.deepEqual(planJourney(catalog, { personId: 'maya', resources: record, now }).signals, []);
});

test('a visit long done with nothing open is post-treatment; new open work brings the patient back', () => {
  const visit = {
    resourceType: 'Encounter',
    id: 'checkup',
    status: 'finished',
    class: { code: 'AMB' },
    period: { start: daysAgo(200), end: daysAgo(200) },
  } as Resource;
  const patient = { resourceType: 'Patient', id: 'p' } as Resource;
  const stageOf = (record: Resource[]) =>
    planJourney(catalog, { personId: 'p', resources: record, now }).stages.find(
      (stage) => stage.journey === 'patient-journey',
    )?.stage;
  assert.equal(stageOf([patient, visit]), 'post-treatment');
  const referral = {
    resourceType: 'ServiceRequest',
    id: 'r',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ code: '3457005' }] }],
    authoredOn: daysAgo(1),
  } as Resource;
  assert.equal(stageOf([patient, visit, referral]), 'diagnosis-treatment');
});

test("the clinic's answer closes the message to answer, however it was recorded", () => {
  // The engine's outbound Communication carries no sender; a logged call names the clinic by
  // display only. Either is the clinic answering, so neither may leave the message open.
  const answers: Record<string, Partial<Resource>> = {
    'a message the engine sent': {},
    'a call the staff logged': { sender: { display: 'Clinic' } } as Partial<Resource>,
  };
  for (const [what, sender] of Object.entries(answers)) {
    const reply = {
      resourceType: 'Communication',
      id: 'reply',
      status: 'completed',
      subject: { reference: 'Patient/maya' },
      sent: daysAgo(3),
      ...sender,
    } as Resource;
    const plan = planJourney(catalog, { personId: 'maya', resources: [...mayasRecord(), reply], now });
    const open = plan.signals.map((signal) => signal.rule.id);
    assert.ok(!open.includes('answer-patient-message'), `${what}: no message left to answer`);
    assert.ok(!open.includes('message-unanswered-two-days'), `${what}: no unanswered pain point`);
  }
});

test('a call the patient made is no message to answer: answered on the phone, or called back', () => {
  const phone = [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'PHONE' }] },
  ];
  const answeredCall = {
    resourceType: 'Communication',
    id: 'answered-call',
    status: 'completed',
    medium: phone,
    sender: { reference: 'Patient/maya' },
    subject: { reference: 'Patient/maya' },
    received: daysAgo(5),
    payload: [{ contentString: 'Patient called to check their appointment time' }],
  } as Resource;
  const plan = planJourney(catalog, { personId: 'maya', resources: [...mayasRecord(), answeredCall], now });
  const about = (id: string) =>
    plan.signals.filter((signal) => signal.focus === `Communication/${id}`).map((signal) => signal.rule.id);
  assert.deepEqual(
    about('answered-call'),
    [],
    'answered on the phone: nothing left to answer, no pain point',
  );
  assert.deepEqual(about('missed-call'), [], 'a day-old missed call waits on the call-backs worklist only');
  const weekOld = {
    ...(mayasRecord().find((each) => each.id === 'missed-call') as Resource),
    sent: daysAgo(3),
  };
  const later = planJourney(catalog, {
    personId: 'maya',
    resources: [...mayasRecord().filter((each) => each.id !== 'missed-call'), weekOld as Resource],
    now,
  });
  assert.deepEqual(
    later.signals.filter((signal) => signal.focus === 'Communication/missed-call').map((s) => s.rule.id),
    ['message-unanswered-two-days'],
    'a missed call not called back in two days is still a pain point',
  );
});
