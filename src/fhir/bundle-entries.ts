import type { BundleEntry, Resource } from '@medplum/fhirtypes';

/**
 * An update by id as a transaction entry; with `versionId`, only of that version (`ifMatch`,
 * FHIR's version-aware update), so a write made meanwhile fails the Bundle instead of being lost.
 */
export function updateEntry(resource: Resource, versionId?: string): BundleEntry {
  return {
    resource,
    request: {
      method: 'PUT',
      url: `${resource.resourceType}/${resource.id}`,
      ...(versionId ? { ifMatch: `W/"${versionId}"` } : {}),
    },
  };
}
