import type { Bundle, Resource } from '@medplum/fhirtypes';
import { loadPersonRecord } from '../journey/index.ts';
import type { FhirRepository } from '../store/index.ts';
import { compartmentIds, resolvePerson } from './resolve-person.ts';

/** A person's whole record, and every record id it was read from (what the audit row names). */
export interface ExportedRecord {
  patients: string[];
  resources: Resource[];
}

/**
 * Everything about the person a patient id stands for, across her linked records
 * (`Patient/$everything` for each), read with the store it is given: the caller's own scoped
 * store for a patient or her caregiver, so the checkpoint leaves out what they may not see
 * (another person's data, sensitive labels, what her Consent hides), or the privacy service's.
 */
export async function exportPersonRecord(
  repository: FhirRepository,
  patientId: string,
): Promise<ExportedRecord> {
  const person = await resolvePerson(repository, patientId);
  const patients = compartmentIds(person);
  return { patients, resources: await loadPersonRecord(repository, patients) };
}

/** The export as a FHIR `Bundle` of type `collection` (a set kept together, not a search). */
export function exportBundle(resources: Resource[], timestamp: Date): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: timestamp.toISOString(),
    entry: resources.map((resource) => ({ resource })),
  };
}

/** The export as ndjson, one resource a line (FHIR Bulk Data's format). */
export function exportNdjson(resources: Resource[]): string {
  return resources.map((resource) => JSON.stringify(resource)).join('\n') + '\n';
}
