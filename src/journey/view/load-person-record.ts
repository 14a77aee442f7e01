import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';

/**
 * Everything in the compartments of a person's records (every source record linked to them),
 * read through the caller's scoped store, so it is access-filtered and audited. Resources
 * that two records share (a Practitioner, an Organization) appear once.
 */
export async function loadPersonRecord(
  repository: FhirRepository,
  patientIds: string[],
): Promise<Resource[]> {
  const seen = new Map<string, Resource>();
  for (const patientId of patientIds) {
    const bundle = await repository.everything({ patientId });
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource as Resource;
      seen.set(`${resource.resourceType}/${resource.id}`, resource);
    }
  }
  return [...seen.values()];
}
