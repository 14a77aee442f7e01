import { encodeAny, nastyString, weighted, type Gen, type Random } from './fuzz-random.ts';
import { RESULT_PARAMETERS } from '../../fhir/search-url.ts';

/**
 * Request URLs for the fuzz test: FHIR searches (parameters of every type, modifiers, prefixes,
 * chains, `_has`, `_include`, paging and result parameters), reads, history and operations,
 * and the `/api` views with their query parameters; values are valid, odd or broken
 * (bad percent-encoding, over-long, NUL).
 */
const TYPES = [
  'Patient',
  'Observation',
  'Encounter',
  'Condition',
  'Appointment',
  'Communication',
  'Task',
  'Consent',
  'AuditEvent',
  'Provenance',
  'Person',
  'Practitioner',
  'Bundle',
  'Spaceship',
  'patient',
  '_history',
  'metadata',
  '$everything',
];
const PARAMS = [
  'name',
  'family',
  'given',
  'birthdate',
  'gender',
  'identifier',
  'address',
  'address-city',
  'telecom',
  'phone',
  'email',
  'subject',
  'patient',
  'code',
  'date',
  'value-quantity',
  'value-string',
  'status',
  'category',
  'general-practitioner',
  'link',
  'encounter',
  'performer',
  'probability',
  'agent',
  'entity',
  'type',
  'action',
  'outcome',
  'period',
  'onset-date',
  '_id',
  '_lastUpdated',
  '_tag',
  '_profile',
  '_security',
  '_source',
  '_text',
  '_content',
  '_filter',
  '_list',
  '_query',
  'subject:Patient.name',
  'patient.birthdate',
  'general-practitioner.name',
  'subject.organization.name',
  '_has:Observation:patient:code',
  '_has:Observation:subject:_has:Provenance:target:agent',
  'x',
  '',
];
const MODIFIERS = [
  '',
  '',
  '',
  ':exact',
  ':contains',
  ':missing',
  ':not',
  ':text',
  ':above',
  ':below',
  ':in',
  ':not-in',
  ':of-type',
  ':identifier',
  ':Patient',
  ':iterate',
  ':x',
  ':',
];
const RESULT_PARAMS = [
  ...RESULT_PARAMETERS,
  '_offset',
  '_format',
  '_pretty',
  '_contained',
  '_containedType',
  '_page',
  '_since',
  '_at',
];
const PREFIXES = ['', '', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap', 'zz'];

const value: Gen<string> = (random) =>
  random.pick<Gen<string>>([
    nastyString,
    (r) =>
      r.pick(PREFIXES) +
      r.pick([
        '2026',
        '2026-11',
        '2026-11-20',
        '2026-11-20T09:00:00Z',
        '2026-02-30',
        '2026-11-20T09:00',
        '99999',
        '-1',
        '0',
        '6.4',
        '1e309',
        '5.4|http://unitsofmeasure.org|mg',
        '1|%',
        'abc',
      ]),
    (r) =>
      r.pick([
        'http://loinc.org|4548-4',
        '|4548-4',
        'http://loinc.org|',
        '|',
        'female',
        'true',
        'false',
        'Patient/fz-patient-1',
        'fz-patient-1',
        'Patient/',
        'urn:uuid:x',
      ]),
    (r) => Array.from({ length: r.int(2, 5) }, () => nastyString(r)).join(','),
    (r) =>
      r.pick([
        'Observation:subject',
        'Observation:patient:Patient',
        '*',
        'Patient:link',
        'Observation:subject:Group',
        'x:y:z',
        '-date',
        'name,-birthdate',
        '_lastUpdated',
        'count',
        'accurate',
        'estimate',
        'none',
        'text',
        'data',
        'true',
        'false',
      ]),
    (r) => String(r.pick([0, 1, -1, 5, 1000, 100000, 2 ** 31, 2 ** 53, 1.5])),
  ])(random);

/** `name=value`, encoded, and sometimes deliberately mis-encoded. */
function pair(random: Random, name: string): string {
  const encoded = `${encodeAny(name)}=${encodeAny(value(random))}`;
  return random.bool(0.08)
    ? encoded + random.pick(['%', '%zz', '%00', '%C0%80', '%E0%A4%A', '&&', '='])
    : encoded;
}

function query(random: Random): string {
  const pairs: string[] = [];
  for (let i = random.int(0, 5); i > 0; i--) {
    const name = random.bool(0.7)
      ? random.pick(PARAMS) + random.pick(MODIFIERS)
      : random.pick(RESULT_PARAMS) + random.pick(['', '', ':iterate']);
    pairs.push(pair(random, name));
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

const id: Gen<string> = (random) =>
  random.pick<Gen<string>>([
    () => 'fz-patient-1',
    (r) =>
      r.pick([
        '1',
        'x'.repeat(64),
        'x'.repeat(65),
        'a'.repeat(199),
        'a'.repeat(201),
        'a'.repeat(300),
        '..',
        '.',
        '%2e%2e',
        '%2F',
        '%00',
        '%E0%A4%A',
        '%C0%80',
      ]),
    (r) => encodeAny(nastyString(r)),
  ])(random);

const API_PATHS: Gen<string>[] = [
  (r) => `/api/patients/${id(r)}/${r.pick(['360', 'timeline', 'journey', 'access-log'])}`,
  (r) => `/api/worklists/${r.pick(['care-gaps', 'duplicates', 'unconfirmed', 'x', id(r)])}`,
  (r) => `/api/journeys/${r.pick(['', 'diabetes', id(r)])}/cohort`,
  (r) =>
    r.pick([
      '/api/journeys',
      '/api/signal-rules',
      '/api/worklists',
      '/api/identity/review',
      '/api/identity/kpis',
      '/api/identity/model',
      '/api/audit',
      '/api/hl7v2/messages',
      '/api/access/break-glass',
    ]),
  (r) => `/api/hl7v2/messages/${id(r)}`,
  (r) => `/api/privacy/patients/${id(r)}/export`,
  (r) => `/fhir/AuditEvent/${id(r)}`,
];

/** A GET URL (path and query). */
export const getUrl: Gen<string> = weighted<string>(
  [6, (random) => `/fhir/${random.pick(TYPES)}${query(random)}`],
  [
    2,
    (random) =>
      `/fhir/${random.pick(TYPES)}/${id(random)}${random.pick(['', '', '/_history', `/_history/${id(random)}`, '/$everything', '/x'])}${random.bool(0.3) ? query(random) : ''}`,
  ],
  [2, (random) => `${random.pick(API_PATHS)(random)}${query(random)}`],
  [
    1,
    (random) =>
      `/${['fhir', 'api', 'auth', 'oauth2'][random.int(0, 3)]}/${encodeAny(nastyString(random))}${query(random)}`,
  ],
  [
    1,
    (random) =>
      `/oauth2/authorize${query(random)}&${pair(random, random.pick(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'aud', 'code_challenge']))}`,
  ],
);

/** A `POST _search` form body. */
export const searchForm: Gen<{ path: string; body: string }> = (random) => ({
  path: `/fhir/${random.pick(TYPES)}/_search`,
  body: query(random).slice(1),
});
