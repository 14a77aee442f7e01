/** Seeds and vocabulary of the FHIR JSON fuzzer (`fuzz-fhir.ts`): realistic resources, Bundles and operation bodies. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ref = (type: string) => ({ reference: `${type}/fz-patient-1` });
export const RESOURCES: Json[] = [
  {
    resourceType: 'Patient',
    identifier: [{ system: 'http://hospital.test/mrn', value: 'FZ-1' }],
    name: [{ family: 'Okafor', given: ['Maya', 'J'], use: 'official' }],
    telecom: [{ system: 'phone', value: '+1 217 555 1234', use: 'mobile' }],
    gender: 'female',
    birthDate: '1988-04-12',
    address: [{ line: ['12 Elm St'], city: 'Springfield', postalCode: '62701' }],
    extension: [
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Lagos' } },
    ],
    link: [{ other: ref('Patient'), type: 'seealso' }],
  },
  {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'HbA1c' }] },
    subject: ref('Patient'),
    effectiveDateTime: '2026-11-20T09:00:00Z',
    valueQuantity: { value: 6.4, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    referenceRange: [{ low: { value: 4 }, high: { value: 5.6 } }],
  },
  {
    resourceType: 'Encounter',
    status: 'finished',
    class: { code: 'AMB' },
    subject: ref('Patient'),
    period: { start: '2026-11-20' },
  },
  { resourceType: 'Condition', subject: ref('Patient'), code: { text: 'Diabetes' }, onsetDateTime: '2020' },
  {
    resourceType: 'Appointment',
    status: 'booked',
    start: '2026-12-01T09:00:00Z',
    end: '2026-12-01T09:30:00Z',
    participant: [{ actor: ref('Patient'), status: 'accepted' }],
  },
  {
    resourceType: 'Communication',
    status: 'completed',
    subject: ref('Patient'),
    payload: [{ contentString: 'Hi' }],
    sent: '2026-11-21',
  },
  {
    resourceType: 'Consent',
    status: 'active',
    scope: { text: 'x' },
    category: [{ text: 'x' }],
    patient: ref('Patient'),
  },
  {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    for: ref('Patient'),
    input: [{ type: { text: 'x' }, valueString: 'y' }],
  },
  {
    resourceType: 'Questionnaire',
    status: 'active',
    item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'string', text: 'Name?' }] }],
  },
];

export const bundleOf = (type: string, entries: Json[]): Json => ({
  resourceType: 'Bundle',
  type,
  entry: entries.map((resource, index) => ({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`,
    resource,
    request: { method: 'POST', url: (resource as { resourceType: string }).resourceType },
  })),
});

export const OPERATIONS: [string, Json][] = [
  [
    '/fhir/Patient/$match',
    {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: RESOURCES[0]! },
        { name: 'count', valueInteger: 3 },
      ],
    },
  ],
  [
    '/fhir/Patient/$merge',
    {
      resourceType: 'Parameters',
      parameter: [
        { name: 'source-patient', valueReference: { reference: 'Patient/fz-a' } },
        { name: 'target-patient', valueReference: { reference: 'Patient/fz-b' } },
        { name: 'preview', valueBoolean: true },
      ],
    },
  ],
  [
    '/fhir/Patient/$unmerge',
    {
      resourceType: 'Parameters',
      parameter: [{ name: 'provenance', valueReference: { reference: 'Provenance/x' } }],
    },
  ],
  ['/auth/login', { email: 'fuzz@staff.test', password: 'wrong-password' }],
  ['/api/identity/link', { source: 'Patient/fz-a', target: 'Patient/fz-b', reason: 'same person' }],
  ['/api/identity/review/fz-task/decision', { decision: 'not-duplicate', reason: 'x' }],
  ['/api/access/break-glass', { patient: 'fz-patient-1', reason: 'emergency', minutes: 30 }],
  [
    '/fhir/AuditEvent',
    {
      resourceType: 'AuditEvent',
      type: { code: 'rest' },
      recorded: '2026-11-20T09:00:00Z',
      agent: [],
      source: { observer: {} },
    },
  ],
  [
    '/fhir',
    {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: 'Patient?name=Okafor&_count=2' } },
        {
          resource: RESOURCES[0]!,
          request: { method: 'PUT', url: 'Patient?identifier=http://hospital.test/mrn|FZ-1' },
        },
        {
          resource: RESOURCES[1]!,
          request: { method: 'POST', url: 'Observation', ifNoneExist: 'code=4548-4' },
        },
        { request: { method: 'DELETE', url: 'Observation/fz-1' } },
        { request: { method: 'GET', url: 'Patient/fz-patient-1/$everything' } },
      ],
    },
  ],
];

export const KEYS = [
  'resourceType',
  'id',
  'meta',
  'extension',
  'modifierExtension',
  'contained',
  'reference',
  'value',
  'url',
  'system',
  'code',
  'entry',
  'resource',
  'request',
  'method',
  'fullUrl',
  'text',
  'div',
  'name',
  'family',
  'given',
  'subject',
  'status',
  '',
  ' ',
  'x'.repeat(300),
  '_birthDate',
  'valueString',
  'valueQuantity',
  'coding',
  'ifNoneExist',
  'ifMatch',
];
export const REFERENCES = [
  'Patient/',
  'Patient/fz-patient-1',
  '#',
  '#x',
  'urn:uuid:x',
  'urn:uuid:00000000-0000-4000-8000-000000000000',
  'Patient/../Observation/1',
  'http://evil.test/fhir/Patient/1',
  'Patient/1/_history/x',
  'Patient?identifier=x',
  'Observation',
  '',
  '/',
  '?',
];
export const TYPES = [
  'Patient',
  'Observation',
  'Bundle',
  'Parameters',
  'OperationOutcome',
  'Spaceship',
  '',
  'patient',
  'AuditEvent',
  'Binary',
  'Provenance',
  'Person',
  'Group',
];
