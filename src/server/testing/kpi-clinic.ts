/**
 * A small clinic for the KPI tests, every true value written beside the records that make it
 * (month 2026-11, "today" 2026-11-20). Raw FHIR shapes as identity, engagement, scheduling and
 * the journey engine write them.
 */
const ref = (id: string) => ({ reference: `Patient/${id}` });
const identity = 'https://throughline.dev/fhir/CodeSystem/identity';
const lifecycle = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';
const kind = 'https://throughline.dev/fhir/CodeSystem/journey-signal-kind';
const worklist = 'https://throughline.dev/fhir/CodeSystem/worklist';
const purpose = 'https://throughline.dev/fhir/CodeSystem/outreach-purpose';
const mode = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';

// Clean data: p1–p3 count (p4 inactive, p5 a golden record). Contact p1 p2, address p1 p3,
// language p1, consent p1 (p3's is inactive) → 2/3, 2/3, 1/3, 1/3.
const patients = [
  {
    id: 'kpi-p1',
    name: [{ given: ['Ann'], family: 'One' }],
    telecom: [{ system: 'phone', use: 'mobile', value: '+15550001' }],
    address: [{ line: ['1 Main St'], postalCode: '97401' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] } }],
  },
  {
    id: 'kpi-p2',
    name: [{ given: ['Bea'], family: 'Two' }],
    telecom: [{ system: 'email', value: 'b@x.test' }],
  },
  {
    id: 'kpi-p3',
    name: [{ given: ['Cy'], family: 'Three' }],
    telecom: [{ system: 'phone', use: 'home', value: '+15550003' }],
    address: [{ line: ['3 Main St'], city: 'Eugene' }],
  },
  { id: 'kpi-p4', active: false, telecom: [{ system: 'email', value: 'd@x.test' }] },
  { id: 'kpi-p5', meta: { tag: [{ system: identity, code: 'golden' }] } },
].map((patient) => ({ resourceType: 'Patient', ...patient }));

const consent = (id: string, patient: string, status: string) => ({
  resourceType: 'Consent',
  id,
  status,
  scope: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
  },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: ref(patient),
  policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
});

// November: no-show 1 of 2 (a1 fulfilled, a2 noshow; a4 and a6 still booked), cancellations 2
// of 6 (a3, a7), lead days a1 4 and a4 5 → median 4.5 (a6 has no `created`). Waitlist: entry w1
// was booked as a6 into the time a7 freed → 1 of the 2 cancellations filled. October: a5
// fulfilled, lead 9.
const appointment = (
  id: string,
  patient: string,
  at: { status: string; start: string; created?: string; actors?: string[] },
) => ({
  resourceType: 'Appointment',
  id,
  status: at.status,
  start: at.start,
  end: at.start.replace('T09', 'T10'),
  ...(at.created ? { created: at.created } : {}),
  participant: [
    { actor: ref(patient), status: 'accepted' },
    ...(at.actors ?? []).map((reference) => ({ actor: { reference }, status: 'accepted' })),
  ],
});
// Filters: a1 at loc-north, a2 at loc-south, both with dr-a → no-shows at loc-north 0/1, at
// loc-south 1/1, for dr-a 1/2; a3 (cancelled) at loc-north → cancellations there 1/2.
const appointments = [
  appointment('a1', 'kpi-p1', {
    status: 'fulfilled',
    start: '2026-11-03T09:00:00Z',
    created: '2026-10-30T09:00:00Z',
    actors: ['Location/loc-north', 'Practitioner/dr-a'],
  }),
  appointment('a2', 'kpi-p2', {
    status: 'noshow',
    start: '2026-11-05T09:00:00Z',
    actors: ['Location/loc-south', 'Practitioner/dr-a'],
  }),
  appointment('a3', 'kpi-p3', {
    status: 'cancelled',
    start: '2026-11-06T09:00:00Z',
    actors: ['Location/loc-north'],
  }),
  appointment('a4', 'kpi-p1', {
    status: 'booked',
    start: '2026-11-25T09:00:00Z',
    created: '2026-11-20T09:00:00Z',
  }),
  appointment('a5', 'kpi-p2', {
    status: 'fulfilled',
    start: '2026-10-10T09:00:00Z',
    created: '2026-10-01T09:00:00Z',
  }),
  appointment('a7', 'kpi-p1', { status: 'cancelled', start: '2026-11-27T09:00:00Z' }),
  appointment('a6', 'kpi-p3', { status: 'booked', start: '2026-11-27T09:00:00Z' }),
  {
    resourceType: 'Appointment',
    id: 'w1',
    status: 'cancelled',
    requestedPeriod: [{ start: '2026-11-23T00:00:00Z', end: '2026-11-30T00:00:00Z' }],
    participant: [{ actor: ref('kpi-p3'), status: 'accepted' }],
    extension: [
      {
        url: 'https://throughline.dev/fhir/StructureDefinition/waitlist-booked-as',
        valueReference: { reference: 'Appointment/a6' },
      },
    ],
  },
];

// Outreach: c1 sms delivered + confirmed, c2 sms failed, c3 email delivered + replied STOP, c4
// still queued (not counted). Delivery 2/3 (sms 1/2, email 1/1), response 2/2, confirmation
// 1/2, opt-outs 1 (email).
const attempt = (id: string, patient: string, how: { channel: string; status: string; state: string }) => ({
  resourceType: 'Communication',
  id,
  status: how.status,
  basedOn: [{ reference: `CommunicationRequest/r-${id}` }],
  category: [{ coding: [{ system: purpose, code: 'appointment-reminder' }] }],
  medium: [{ coding: [{ system: mode, code: how.channel }] }],
  subject: ref(patient),
  sent: '2026-11-02T08:00:00Z',
  extension: [
    { url: 'https://throughline.dev/fhir/StructureDefinition/delivery-state', valueCode: how.state },
  ],
});
const reply = (id: string, to: string, patient: string, action?: string) => ({
  resourceType: 'Communication',
  id,
  status: 'completed',
  inResponseTo: [{ reference: `Communication/${to}` }],
  subject: ref(patient),
  sender: ref(patient),
  received: '2026-11-02T09:00:00Z',
  ...(action
    ? {
        extension: [
          { url: 'https://throughline.dev/fhir/StructureDefinition/reply-action', valueCode: action },
        ],
      }
    : {}),
});
const communications = [
  attempt('c1', 'kpi-p1', { channel: 'SMSWRIT', status: 'completed', state: 'delivered' }),
  attempt('c2', 'kpi-p2', { channel: 'SMSWRIT', status: 'not-done', state: 'failed' }),
  attempt('c3', 'kpi-p3', { channel: 'EMAILWRIT', status: 'completed', state: 'delivered' }),
  attempt('c4', 'kpi-p2', { channel: 'EMAILWRIT', status: 'in-progress', state: 'queued' }),
  reply('c1r', 'c1', 'kpi-p1', 'confirm'),
  reply('c3r', 'c3', 'kpi-p3', 'opt-out'),
];

// Identity: 2 reviews opened, 1 still open (age 10 days on 2026-11-20), 1 merge, 1 un-merge.
const review = (id: string, patient: string, status: string, authoredOn: string) => ({
  resourceType: 'Task',
  id,
  status,
  intent: 'proposal',
  code: { coding: [{ system: identity, code: 'possible-duplicate' }] },
  focus: ref(patient),
  for: ref(patient),
  authoredOn,
});
const lifecycleEvent = (id: string, activity: string, recorded: string) => ({
  resourceType: 'Provenance',
  id,
  target: [ref('kpi-p2'), ref('kpi-p4')],
  recorded,
  activity: { coding: [{ system: lifecycle, code: activity }] },
  agent: [{ who: { display: 'test' } }],
});

// Follow-ups: g1 care gap closed in 6 days, g2 care gap open, g3 follow-up closed in 2 days,
// g4 cancelled (left out) → closure 2/3 (care gaps 1/2), median days 4.
const gap = (id: string, signal: string, how: { status: string; authoredOn: string; end?: string }) => ({
  resourceType: 'Task',
  id,
  status: how.status,
  intent: 'plan',
  code: { coding: [{ system: kind, code: signal }] },
  for: ref('kpi-p3'),
  authoredOn: how.authoredOn,
  performerType: [{ coding: [{ system: worklist, code: 'care-gaps' }] }],
  ...(how.end ? { executionPeriod: { end: how.end } } : {}),
});

export const kpiClinic = [
  ...patients,
  consent('k1', 'kpi-p1', 'active'),
  consent('k3', 'kpi-p3', 'inactive'),
  ...appointments,
  ...communications,
  review('t1', 'kpi-p1', 'requested', '2026-11-10T12:00:00Z'),
  review('t2', 'kpi-p2', 'completed', '2026-11-12T12:00:00Z'),
  lifecycleEvent('m1', 'merge', '2026-11-15T12:00:00Z'),
  lifecycleEvent('m2', 'unmerge', '2026-11-16T12:00:00Z'),
  gap('g1', 'care-gap', {
    status: 'completed',
    authoredOn: '2026-11-01T00:00:00Z',
    end: '2026-11-07T00:00:00Z',
  }),
  gap('g2', 'care-gap', { status: 'requested', authoredOn: '2026-11-02T00:00:00Z' }),
  gap('g3', 'follow-up', {
    status: 'completed',
    authoredOn: '2026-11-03T00:00:00Z',
    end: '2026-11-05T00:00:00Z',
  }),
  gap('g4', 'care-gap', { status: 'cancelled', authoredOn: '2026-11-04T00:00:00Z' }),
];
