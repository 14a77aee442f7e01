import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Valid resources of the shapes the write paths produce (HL7 mappings, Synthea, engagement),
 * for tests that must run without the shared data: choice types, backbone elements, contained
 * resources, extensions, a Bundle holding resources.
 */
export function sampleResources(): Record<string, unknown>[] {
  const patient = {
    resourceType: 'Patient',
    id: 'p1',
    meta: { lastUpdated: '2024-01-02T03:04:05Z' },
    extension: [{ url: 'http://example.org/fhir/birth-place', valueString: 'Riverside' }],
    identifier: [{ system: 'urn:oid:1.2.3', value: 'MRN1', type: { coding: [{ code: 'MR' }] } }],
    name: [{ use: 'official', family: 'Okafor', given: ['Ada', 'N'] }],
    telecom: [{ system: 'phone', value: '541-555-0100', use: 'home' }],
    gender: 'female',
    birthDate: '1980-02-29',
    deceasedBoolean: false,
    address: [{ line: ['10 Main St'], city: 'Riverside', postalCode: '97000' }],
    contact: [{ name: { family: 'Okafor' }, relationship: [{ text: 'sister' }] }],
  };
  const observation = {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '3016-3' }], text: 'TSH' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-01-02T10:00:00+01:00',
    valueQuantity: { value: 2.5, unit: 'mIU/L', system: 'http://unitsofmeasure.org', code: 'm[IU]/L' },
    referenceRange: [{ low: { value: 0.4 }, high: { value: 4 } }],
    component: [{ code: { text: 'flag' }, valueCodeableConcept: { text: 'normal' } }],
    note: [{ text: 'fasting' }],
  };
  const condition = {
    resourceType: 'Condition',
    contained: [{ resourceType: 'Practitioner', id: 'dr', name: [{ family: 'Lee' }] }],
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: { text: 'Hypertension' },
    subject: { reference: 'Patient/p1' },
    asserter: { reference: '#dr' },
    onsetPeriod: { start: '2020-01-01', end: '2021-06' },
  };
  const medicationRequest = {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Lisinopril 10 mg' },
    subject: { reference: 'Patient/p1' },
    dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, text: 'daily' }],
  };
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [{ fullUrl: 'urn:uuid:0b8f3c1e-2a5d-4c6e-9f1a-3b2c4d5e6f70', resource: { ...patient, id: 'p2' } }],
  };
  return [patient, observation, condition, medicationRequest, bundle];
}

/** `../shared/data` from the project root: present in CI, absent on a user's machine. */
export const sharedData = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export const missingReason = (folder: string): string | undefined =>
  existsSync(sharedData + folder)
    ? undefined
    : `${sharedData + folder} is absent: shared FHIR data not available`;

/** Every official R4 example, by file name. */
export function officialExamples(): { file: string; resource: Record<string, unknown> }[] {
  const root = `${sharedData}fhir-examples/r4`;
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(`${root}/${entry.name}`).map((file) => ({
        file,
        resource: JSON.parse(readFileSync(`${root}/${entry.name}/${file}`, 'utf8')) as Record<
          string,
          unknown
        >,
      })),
    );
}

/** Every resource of the Synthea dev transaction bundles, as in the files. */
export function syntheaResources(): Record<string, unknown>[] {
  const folder = `${sharedData}synthea/dev/`;
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const bundle = JSON.parse(readFileSync(folder + file, 'utf8')) as { entry?: { resource?: object }[] };
      return (bundle.entry ?? []).flatMap((entry) =>
        entry.resource ? [entry.resource as Record<string, unknown>] : [],
      );
    });
}
