import type { Coding, Resource } from '@medplum/fhirtypes';
import {
  hasPatientCompartment,
  patientCompartmentOf,
  patientCompartmentsOf,
} from '../../fhir/compartment.ts';

type CompartmentOf = (resource: Resource) => string | undefined;
import type { Principal } from '../principal.ts';
import { scopesAllow, type Interaction } from '../scopes.ts';
import {
  actsForOnePatient,
  decide,
  grantedLabels,
  maskedElements,
  writeProtectedElements,
  authorElementsOf,
  type Decision,
  type Relation,
  type RoleMatrix,
} from './role-matrix.ts';

const REDACTED: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'REDACTED',
  display: 'redacted',
};

/** What one caller may do and see: the role matrix, narrowed by their SMART scopes. */
export interface AccessPolicy {
  /** The patient every interaction is limited to (patients and proxies), if any. */
  ownPatient?: string;
  /** Every record of that person (golden and linked source records): all theirs. */
  ownPatients: ReadonlySet<string>;
  /** Whether the caller is limited to one patient's data. */
  ownOnly: boolean;
  /** Whether the caller may do this on this type at all (before any data is read). */
  canInteract(resourceType: string, interaction: Interaction): boolean;
  /**
   * The resource as this caller may see it — masked where the matrix says so — or undefined
   * when it is another patient's, or sensitive beyond the caller's labels (unless break-glass).
   */
  visible(resource: Resource, interaction: 'r' | 's'): Resource | undefined;
  /** Whether the resource is the caller's (own-patient callers): its compartment is theirs. */
  owns(resource: Resource): boolean;
  /** For a write: whether every patient the resource names in a compartment parameter is the caller's. */
  ownsAll(resource: Resource): boolean;
  /**
   * Whether every row of this type a search returns is shown to the caller as stored: the type
   * is not masked, the caller is not limited to one patient, and hidden labels are left out in
   * the query itself (no break-glass). Consent is decided apart, per patient (the gate).
   */
  showsStored(resourceType: string): boolean;
  /** Elements removed from what the caller reads of this type (empty unless the matrix masks it). */
  maskedElements(resourceType: string): string[];
  /** Elements the caller may not set or change on this type (`writeProtected`). */
  protectedElements(resourceType: string): string[];
  /** Elements naming who wrote a resource of this type, which must be the caller's own patient (`authorElements`). */
  authorElements(resourceType: string): string[];
  /** Sensitive labels the caller may not see: searches exclude them in the query itself. */
  hiddenLabels: { system: string; code: string }[];
  /** Whether the caller holds break-glass grants (then labelled rows are filtered per patient, in memory). */
  breakGlass: boolean;
  /** Patients whose data was shown under break-glass in this request (flagged in audit). */
  brokeGlassFor: Set<string>;
}

export interface PolicyOptions {
  /** Patients the caller has an active break-glass grant for. */
  breakGlassPatients?: ReadonlySet<string>;
  /** The patient a resource belongs to (default: its patient compartment). */
  compartmentOf?: CompartmentOf;
  /** For a patient's own token: the other records identity linked to their patient record. */
  linkedRecords?: readonly string[];
}

export function accessPolicy(
  matrix: RoleMatrix,
  principal: Principal,
  options: PolicyOptions = {},
): AccessPolicy {
  const breakGlassPatients = options.breakGlassPatients ?? new Set<string>();
  const compartmentOf = options.compartmentOf ?? patientCompartmentOf;
  const ownOnly = actsForOnePatient(matrix, principal.roles);
  const ownPatient = ownOnly ? principal.patient : undefined;
  const ownPatients = new Set(ownPatient ? [ownPatient, ...(options.linkedRecords ?? [])] : []);
  const labels = grantedLabels(matrix, principal.roles);
  const brokeGlassFor = new Set<string>();
  const decision = decisionOf(matrix, principal, ownOnly ? 'own' : 'any');
  const { owns, ownsAll } = ownership({ ownOnly, ownPatients, compartmentOf });
  const labelsAllow = labelCheck(matrix, labels, { breakGlassPatients, brokeGlassFor, compartmentOf });

  return {
    ownPatient,
    ownPatients,
    ownOnly,
    ownsAll,
    protectedElements: (type) => writeProtectedElements(matrix, principal.roles, type),
    authorElements: (type) => authorElementsOf(matrix, principal.roles, type),
    maskedElements: (type) =>
      decision(type, 's') === 'mask' ? maskedElements(matrix, principal.roles, type) : [],
    hiddenLabels: matrix.sensitiveLabels.filter((label) => !labels.has(label.code)),
    breakGlass: breakGlassPatients.size > 0,
    brokeGlassFor,
    owns,
    canInteract: (type, interaction) => decision(type, interaction) !== 'deny',
    showsStored: (type) => !ownOnly && breakGlassPatients.size === 0 && decision(type, 's') === 'allow',
    visible(resource, interaction) {
      const verdict = decision(resource.resourceType, interaction);
      if (verdict === 'deny' || !owns(resource) || !labelsAllow(resource)) return undefined;
      return verdict === 'mask'
        ? mask(resource, maskedElements(matrix, principal.roles, resource.resourceType))
        : resource;
    },
  };
}

/** The matrix's decision for this caller (narrowed by their SMART scopes), per type and interaction. */
function decisionOf(matrix: RoleMatrix, principal: Principal, relation: Relation) {
  return (type: string, interaction: Interaction): Decision =>
    scopesAllow(principal.scopes, type, interaction)
      ? decide(matrix, principal.roles, {
          resourceType: type,
          interaction,
          relation,
          patientData: hasPatientCompartment(type),
        })
      : 'deny';
}

/**
 * Whether a resource is the caller's (`owns`: its compartment), and for a write whether every
 * patient it names in a compartment parameter is (`ownsAll`). Always true for callers who are
 * not limited to one patient, and for data that belongs to no patient.
 */
function ownership(scope: {
  ownOnly: boolean;
  ownPatients: ReadonlySet<string>;
  compartmentOf: CompartmentOf;
}) {
  const { ownOnly, ownPatients, compartmentOf } = scope;
  const owns = (resource: Resource): boolean => {
    if (!ownOnly || !hasPatientCompartment(resource.resourceType)) return true;
    const patient = compartmentOf(resource);
    return patient !== undefined && ownPatients.has(patient);
  };
  const ownsAll = (resource: Resource): boolean =>
    !ownOnly ||
    !hasPatientCompartment(resource.resourceType) ||
    (owns(resource) && patientCompartmentsOf(resource).every((id) => ownPatients.has(id)));
  return { owns, ownsAll };
}

/**
 * Whether the caller holds every sensitive label on a resource; if not, a break-glass grant for
 * its patient lets them see it, and the patient is flagged in `brokeGlassFor`.
 */
function labelCheck(
  matrix: RoleMatrix,
  granted: ReadonlySet<string>,
  breakGlass: {
    breakGlassPatients: ReadonlySet<string>;
    brokeGlassFor: Set<string>;
    compartmentOf: CompartmentOf;
  },
): (resource: Resource) => boolean {
  const { breakGlassPatients, brokeGlassFor, compartmentOf } = breakGlass;
  const sensitive = new Map(
    matrix.sensitiveLabels.map((label) => [`${label.system}|${label.code}`, label.code]),
  );
  return (resource) => {
    const needed = (resource.meta?.security ?? [])
      .map((label) => sensitive.get(`${label.system}|${label.code}`))
      .filter((code): code is string => code !== undefined);
    if (needed.every((code) => granted.has(code))) return true;
    const patient = compartmentOf(resource);
    if (patient && breakGlassPatients.has(patient)) {
      brokeGlassFor.add(patient);
      return true;
    }
    return false;
  };
}

/** Removes the masked elements and labels the copy REDACTED, so nobody mistakes it for the whole. */
function mask(resource: Resource, elements: string[]): Resource {
  const copy: Record<string, unknown> = { ...resource };
  for (const element of elements) delete copy[element];
  const meta = resource.meta ?? {};
  return {
    ...(copy as unknown as Resource),
    meta: { ...meta, security: [...(meta.security ?? []), REDACTED] },
  };
}
