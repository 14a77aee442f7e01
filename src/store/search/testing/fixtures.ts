import type { Encounter, Observation, Organization, Patient, Provenance, Resource } from '@medplum/fhirtypes';

/**
 * A small clinic shared by the search tests: two patients (one with accents in her name), an
 * organization, an encounter, observations with codes, quantities and dates, and a Provenance.
 */
const loinc = 'http://loinc.org';
const mrn = 'http://demo.clinic/mrn';

export const org: Organization = { resourceType: 'Organization', id: 'org-1', name: 'Northside Clinic' };

export const maya: Patient = {
  resourceType: 'Patient',
  id: 'maya',
  identifier: [{ system: mrn, value: 'M-100' }],
  name: [{ family: 'Ramírez', given: ['Maya', 'Lucía'] }],
  gender: 'female',
  birthDate: '1985-04-12',
  active: true,
  telecom: [{ system: 'email', value: 'maya@example.org' }],
  managingOrganization: { reference: 'Organization/org-1' },
  multipleBirthInteger: 2,
};

export const tom: Patient = {
  resourceType: 'Patient',
  id: 'tom',
  identifier: [{ system: mrn, value: 'M-200' }],
  name: [{ family: 'Smith', given: ['Tom'] }],
  gender: 'male',
  birthDate: '1950',
};

export const visit: Encounter = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: 'Patient/maya' },
  period: { start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:30:00Z' },
};

/** One reading: its LOINC code, when it was taken, and its value in kg (none for a pending result). */
interface Reading {
  code: string;
  date: string;
  value: number | undefined;
}

function observation(id: string, patient: string, { code, date, value }: Reading): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: {
      coding: [{ system: loinc, code, display: code === '4548-4' ? 'Hemoglobin A1c' : 'Body weight' }],
    },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: date,
    ...(value === undefined
      ? {}
      : { valueQuantity: { value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } }),
  };
}

export const observations: Observation[] = [
  {
    ...observation('obs-1', 'maya', { code: '29463-7', date: '2024-01-15T10:00:00Z', value: 70 }),
    encounter: { reference: 'Encounter/enc-1' },
  },
  observation('obs-2', 'maya', { code: '29463-7', date: '2024-02-15', value: 68.5 }),
  observation('obs-3', 'maya', { code: '4548-4', date: '2023-12', value: undefined }),
  observation('obs-4', 'tom', { code: '29463-7', date: '2022-06-30T23:00:00+02:00', value: 90 }),
  {
    ...observation('obs-5', 'tom', { code: '4548-4', date: '2024-03-01', value: undefined }),
    performer: [{ reference: 'Patient/maya' }],
  },
];

export const provenance: Provenance = {
  resourceType: 'Provenance',
  id: 'prov-1',
  target: [{ reference: 'Observation/obs-1' }],
  recorded: '2024-01-15T10:05:00Z',
  agent: [{ who: { reference: 'Organization/org-1' } }],
};

export const clinic: Resource[] = [org, maya, tom, visit, ...observations, provenance];
