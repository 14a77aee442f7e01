import type { Consent, Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { deniedByConsent, restrictionsOf, type ConsentRestriction } from './consent-restrictions.ts';

export interface ConsentGate {
  /** Whether consent restricts this caller at all (not the patient themselves, not integrations). */
  readonly applies: boolean;
  /** Loads the restrictions of every patient these resources belong to (one search, cached per request). */
  prefetch(resources: Resource[]): Promise<void>;
  /** Whether the patient's consent hides this resource from the caller (break-glass lifts it, flagged). */
  hides(resource: Resource): boolean;
  /** `prefetch` for rows whose patients are already known (the store's compartment column). */
  prefetchPatients(patients: string[]): Promise<void>;
  /** `hides` for a row known by its type and patient, without parsing it (a restriction names types only). */
  hidesRow(row: { resourceType: string; patient: string | undefined }): boolean;
  /**
   * Loads every patient's restrictions, for what a query looks into without returning it
   * (chains, `_has`): there the patients are not known before the query runs.
   */
  prefetchAll(): Promise<void>;
  /** After `prefetchAll`: the patients whose consent hides this type from the caller. */
  hiddenPatients(resourceType: string): string[];
}

export interface ConsentGateOptions {
  /** Whether the caller acts for one patient (then their own consent does not bind them, unless a proxy). */
  ownOnly: boolean;
  /** Patients the caller has an active break-glass grant for. */
  breakGlassPatients: ReadonlySet<string>;
  /** Patients whose data was shown under break-glass in this request (added to here). */
  brokeGlassFor: Set<string>;
  compartmentOf?: (resource: Resource) => string | undefined;
}

type Restrictions = Map<string, ConsentRestriction[]>;

/** Pages of active Consents read for `prefetchAll`: beyond them the query is refused, not guessed. */
const MAX_CONSENT_PAGES = 50;

/**
 * Enforces patients' privacy Consents for one request. A patient's own wishes do not bind the
 * patient herself, and system integrations are not disclosures, so neither is gated; a proxy
 * (caregiver) is, like staff.
 * Consents are read with the unscoped store: evaluating policy is not an access to report.
 */
export function consentGate(
  repository: FhirRepository,
  principal: Principal,
  options: ConsentGateOptions,
): ConsentGate {
  // A proxy is someone else the record is disclosed to: the dependant's "do not disclose"
  // binds her caregiver as it binds staff (a deny naming no role hides from her too).
  const proxy = principal.roles.includes('proxy');
  const applies = (!options.ownOnly || proxy) && !principal.roles.includes('integration');
  const known: Restrictions = new Map();
  let loadedAll = false;
  const patientOf = options.compartmentOf ?? patientCompartmentOf;
  const prefetchPatients = async (patients: string[]) => {
    if (!applies) return;
    await loadRestrictions(repository, [...new Set(patients.filter((id) => !known.has(id)))], known);
  };
  const hidesRow = rowHider({ applies, known, roles: principal.roles, ...options });
  return {
    applies,
    prefetchPatients,
    hidesRow,
    prefetch: (resources) => prefetchPatients(resources.map(patientOf).filter((id): id is string => !!id)),
    async prefetchAll() {
      if (!applies || loadedAll) return;
      await loadAllRestrictions(repository, known);
      loadedAll = true;
    },
    hiddenPatients(resourceType) {
      if (!applies) return [];
      const probe = { resourceType } as Resource;
      const hidden = (patient: string) =>
        !options.breakGlassPatients.has(patient) &&
        deniedByConsent(known.get(patient), principal.roles, probe);
      return [...known.keys()].filter(hidden);
    },
    hides: (resource) => hidesRow({ resourceType: resource.resourceType, patient: patientOf(resource) }),
  };
}

/** Whether a patient's consent hides a type from the caller (a restriction names types, never elements). */
function rowHider(state: {
  applies: boolean;
  known: Restrictions;
  roles: string[];
  breakGlassPatients: ReadonlySet<string>;
  brokeGlassFor: Set<string>;
}): ConsentGate['hidesRow'] {
  const { applies, known, roles, breakGlassPatients, brokeGlassFor } = state;
  return ({ resourceType, patient }) => {
    if (!applies || !patient) return false;
    if (!deniedByConsent(known.get(patient), roles, { resourceType } as Resource)) return false;
    if (!breakGlassPatients.has(patient)) return true;
    brokeGlassFor.add(patient);
    return false;
  };
}

/** Reads these patients' active Consents into `known`, 100 patients a search. */
async function loadRestrictions(
  repository: FhirRepository,
  wanted: string[],
  known: Restrictions,
): Promise<void> {
  // 100 patients a search (the store's longest OR list); the searches run together, since a
  // page of Appointments names hundreds of patients and one after another they add up.
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += 100) chunks.push(wanted.slice(i, i + 100));
  await Promise.all(
    chunks.map(async (ids) => {
      const bundle = await repository.search({
        resourceType: 'Consent',
        params: [
          ['patient', ids.join(',')],
          ['status', 'active'],
          ['_count', '1000'],
        ],
      });
      const restrictions = restrictionsOf((bundle.entry ?? []).map((entry) => entry.resource as Consent));
      for (const id of ids) known.set(id, restrictions.get(id) ?? []);
    }),
  );
}

/** Reads every active Consent into `known`; refuses when there are more than the pages allowed. */
async function loadAllRestrictions(repository: FhirRepository, known: Restrictions): Promise<void> {
  for (let page = 0; page < MAX_CONSENT_PAGES; page++) {
    const bundle = await repository.search({
      resourceType: 'Consent',
      params: [
        ['status', 'active'],
        ['_count', '1000'],
        ['_offset', String(page * 1000)],
      ],
    });
    const consents = (bundle.entry ?? []).map((entry) => entry.resource as Consent);
    for (const [patient, restrictions] of restrictionsOf(consents)) known.set(patient, restrictions);
    if (consents.length < 1000) return;
  }
  throw new ThroughlineError('NOT_SUPPORTED', 'Too many privacy consents to evaluate a chain or _has');
}
