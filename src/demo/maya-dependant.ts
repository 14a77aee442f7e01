import type { Immunization, Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { PROXY_SCOPE_URL, USER_SYSTEM } from '../access/index.ts';
import type { FhirRepository } from '../store/index.ts';

/** Maya's daughter in the demo clinic: a record Maya's portal account may act on (issue 20). */
export const DEMO_DEPENDANT = { given: 'Ada', family: 'Okafor', birthDate: '2017-09-03' };

const days = (from: Date, count: number) => new Date(from.getTime() + count * 86_400_000).toISOString();

/**
 * Ada, Maya's daughter, with a vaccination and a result, and the grant the front desk made when
 * Maya registered her: a RelatedPerson for Ada naming Maya's portal account, Maya as her mother,
 * allowed to see Ada's record and manage her appointments, messages and forms, until Ada turns
 * 16 (then her record is hers alone, unless she grants it again).
 */
export async function seedMayasDependant(
  repository: FhirRepository,
  options: { mayaAccount: string; now: Date },
): Promise<{ ada: string; grant: string }> {
  const ada = await repository.create<Patient>({
    resourceType: 'Patient',
    name: [{ given: [DEMO_DEPENDANT.given], family: DEMO_DEPENDANT.family }],
    gender: 'female',
    birthDate: DEMO_DEPENDANT.birthDate,
  });
  const subject = { reference: `Patient/${ada.resource.id}` };
  await repository.create<Immunization>({
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: {
      coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '03', display: 'MMR' }],
      text: 'MMR',
    },
    patient: subject,
    occurrenceDateTime: '2018-09-10',
  });
  await repository.create<Observation>(hemoglobin(subject, days(options.now, -20)));
  const grant = await repository.create<RelatedPerson>(adaGrant(ada.resource.id, options.mayaAccount));
  return { ada: ada.resource.id, grant: grant.resource.id };
}

function adaGrant(ada: string, mayaAccount: string): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    active: true,
    patient: { reference: `Patient/${ada}` },
    identifier: [{ system: USER_SYSTEM, value: mayaAccount }],
    relationship: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH', display: 'mother' },
        ],
      },
    ],
    name: [{ given: ['Maya'], family: 'Okafor' }],
    period: { start: '2017-09-03', end: '2033-09-03' },
    extension: ['record', 'appointments', 'messages', 'forms'].map((code) => ({
      url: PROXY_SCOPE_URL,
      valueCode: code,
    })),
  };
}

/** A routine hemoglobin, within range. */
function hemoglobin(subject: { reference: string }, at: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: {
      coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin' }],
      text: 'Hemoglobin',
    },
    subject,
    effectiveDateTime: at,
    valueQuantity: { value: 12.6, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
    referenceRange: [{ low: { value: 11.5, unit: 'g/dL' }, high: { value: 15.5, unit: 'g/dL' } }],
  };
}
