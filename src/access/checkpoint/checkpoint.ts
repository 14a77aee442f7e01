import type { Resource } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { isResourceType } from '../../fhir/definitions.ts';
import { criteriaSearch, type FhirRepository, type SearchScope } from '../../store/index.ts';
import type { Principal } from '../principal.ts';
import type { AccessPolicy } from '../policy/access-policy.ts';
import type { ConsentGate } from '../policy/consent-gate.ts';
import type { HoldGate } from '../hold/hold-gate.ts';
import { Hidden, type Guard } from './guard.ts';

/** What every hook of the checkpoint works with, for one caller and one request. */
export interface Checkpoint {
  /** The unscoped store: only the checkpoint holds it. */
  repository: FhirRepository;
  principal: Principal;
  policy: AccessPolicy;
  gate: ConsentGate;
  /** The clinic's hold on results (binds the patient and her proxies). */
  hold: HoldGate;
  guard: Guard;
  /** The patient a resource belongs to (remembered per object for this request). */
  compartmentOf: (resource: Resource) => string | undefined;
}

/** The resource as the caller may see it, or Hidden (role, compartment, labels, consent). */
export async function seen<T extends Resource>(
  cp: Checkpoint,
  resource: T,
  interaction: 'r' | 's',
): Promise<T> {
  const visible = cp.policy.visible(resource, interaction);
  if (!visible) throw new Hidden();
  await cp.gate.prefetch([resource]);
  if (cp.gate.hides(resource)) throw new Hidden();
  await cp.hold.prepare();
  if (cp.hold.hides(resource)) throw new Hidden();
  return visible as T;
}

/**
 * The stored resource a write would change, which the caller must be able to see: what reads
 * as not found cannot be updated or deleted. Undefined when there is none (a create by PUT).
 */
export async function storedForWrite(
  cp: Checkpoint,
  type: string,
  id: string,
): Promise<Resource | undefined> {
  const stored = await cp.repository.read(type, id).catch((error: unknown) => {
    if (isThroughlineError(error) && (error.code === 'NOT_FOUND' || error.code === 'GONE')) return undefined;
    throw error;
  });
  if (stored) await seen(cp, stored, 'r');
  return stored;
}

/**
 * The stored resources a Bundle's updates and deletes would change, read in one search per
 * type and 100 ids (not one read each: an import Bundle has hundreds), their patients'
 * consent with them. Keyed `Type/id`; what is not there is created.
 */
export async function storedForWrites(
  cp: Checkpoint,
  targets: { type: string; id: string }[],
): Promise<Map<string, Resource>> {
  const stored = new Map<string, Resource>();
  const byType = Map.groupBy(
    targets.filter((target) => isResourceType(target.type)),
    (target) => target.type,
  );
  for (const [type, ofType] of byType) {
    const ids = [...new Set(ofType.map((target) => target.id))];
    for (let at = 0; at < ids.length; at += 100) {
      const chunk = ids.slice(at, at + 100);
      const params: [string, string][] = [
        ['_id', chunk.join(',')],
        ['_count', String(chunk.length)],
      ];
      const found = await cp.repository.search({ resourceType: type, params });
      for (const entry of found.entry ?? [])
        if (entry.resource) stored.set(`${type}/${entry.resource.id}`, entry.resource);
    }
  }
  await cp.gate.prefetch([...stored.values()]);
  return stored;
}

/** What the caller may see, as the store applies it to chains, `_has` and conditional criteria. */
export function searchScopeOf(deps: Pick<Checkpoint, 'policy' | 'gate' | 'hold'>): SearchScope {
  const { policy, gate, hold } = deps;
  return {
    maySearch: (type) => policy.canInteract(type, 's'),
    hiddenLabels: policy.hiddenLabels,
    hiddenPatients: (type) => gate.hiddenPatients(type),
    hiddenIds: (type) => hold.hiddenIds(type),
    maskedElements: (type) => policy.maskedElements(type),
    ...(policy.ownOnly ? { patients: [...policy.ownPatients] } : {}),
  };
}

/**
 * Before a query that looks into rows it does not return (a chain, `_has`), every patient's
 * consent is loaded: those rows' patients are not known until the query runs.
 */
export async function prepareLookThrough(gate: ConsentGate, params: [string, string][]): Promise<void> {
  const looksThrough = params.some(
    ([name]) => name.startsWith('_has:') || (!name.startsWith('_') && name.includes('.')),
  );
  if (looksThrough) await gate.prefetchAll();
}

/**
 * The scope of conditional criteria: as for a search, and a match must pass the caller's
 * visibility and consent, or it counts as not there. Consent is read before the store's
 * transaction (one connection on PGlite): the criteria are searched once as the caller to
 * learn whose records they touch. Inside a caller's transaction nothing can be read first:
 * only system principals write there, and consent does not restrict integrations.
 */
export async function conditionalScope(
  cp: Checkpoint,
  criteria: { resourceType: string; query: string }[],
  options: { insideTransaction?: boolean } = {},
): Promise<SearchScope> {
  await cp.hold.prepare();
  const scope = searchScopeOf(cp);
  if (cp.gate.applies && !options.insideTransaction) {
    for (const { resourceType, query } of criteria) {
      await prepareLookThrough(cp.gate, [...new URLSearchParams(query)]);
      const request = criteriaSearch(resourceType, query, scope);
      const found = await cp.repository.search({ ...request, params: [...request.params, ['_count', '2']] });
      await cp.gate.prefetch(
        (found.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : [])),
      );
    }
  }
  // A caller nothing is hidden from (an integration) needs no last word: the store then keeps
  // its one-statement fast path for identifier criteria (HL7 v2 group commit).
  const { policy, gate } = cp;
  const restricted = gate.applies || policy.ownOnly || policy.breakGlass || policy.hiddenLabels.length > 0;
  if (!restricted) return scope;
  return {
    ...scope,
    admits: (resource) =>
      policy.visible(resource, 's') !== undefined && !gate.hides(resource) && !cp.hold.hides(resource),
  };
}
