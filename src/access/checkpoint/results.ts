import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { SearchRequest } from '../../store/index.ts';
import type { AuditEntry } from '../audit.ts';
import { prepareLookThrough, searchScopeOf, type Checkpoint } from './checkpoint.ts';
import { Hidden } from './guard.ts';

type Search = Omit<SearchRequest, 'baseUrl'>;
type Gates = Pick<Checkpoint, 'policy' | 'gate' | 'hold'>;

/**
 * A search as the caller may run it: one-patient callers in their own compartment only (their
 * own records for Patient), labels they may not see excluded in the query (so totals and paging
 * count only what they may see), and the same scope on whatever chains and `_has` look into.
 * The store applies it (`scope.results`), so the request's parameters and its links stay
 * what the caller asked. With break-glass grants the query cannot know which patients are
 * open: labelled rows are filtered afterwards and the total is withheld. Undefined: the
 * request names someone else's compartment.
 */
export async function scopedSearch(deps: Gates, request: Search): Promise<Search | undefined> {
  const { policy } = deps;
  if (policy.ownOnly && request.compartment && !policy.ownPatients.has(request.compartment.id))
    return undefined;
  await prepareLookThrough(deps.gate, request.params);
  await deps.hold.prepare();
  const results = { labels: !policy.breakGlass, compartment: policy.ownOnly };
  return { ...request, scope: { ...searchScopeOf(deps), results } };
}

/** How a guarded search answers: `nothing` when the caller's scope rules out every match. */
export interface SearchAnswer<T> {
  describe: (value: T) => Partial<AuditEntry>;
  nothing: () => T;
  /** The store's answer to the scoped request, shown as the caller may see it. */
  found: (own: Search) => Promise<T>;
}

/** A search as the caller may run it (`scopedSearch`), guarded by the role matrix and audited as `search`. */
export function guardedSearch<T>(cp: Checkpoint, request: Search, answer: SearchAnswer<T>): Promise<T> {
  return cp.guard({
    action: 'search',
    resourceType: request.resourceType,
    interaction: 's',
    describe: answer.describe,
    run: async () => {
      const own = await scopedSearch(cp, request);
      return own ? answer.found(own) : answer.nothing();
    },
  });
}

/**
 * Drops (or masks) what the caller may not see; withholds totals that would count what was
 * dropped. A history entry without a resource (a deletion) cannot be attributed to a patient:
 * one-patient callers do not see those (`ownFiltered` marks history and $everything).
 */
export async function visibleOnly(
  deps: Gates,
  bundle: Bundle,
  options: { interaction: 'r' | 's'; ownFiltered: boolean },
): Promise<Bundle> {
  const { policy, gate, hold } = deps;
  await gate.prefetch(resourcesOf(bundle));
  await hold.prepare();
  let consentHid = false;
  const entry = (bundle.entry ?? []).flatMap((item): BundleEntry[] => {
    if (!item.resource) return policy.ownOnly && options.ownFiltered ? [] : [item];
    if (item.resource.resourceType === 'OperationOutcome') return [item];
    const visible = policy.visible(item.resource, options.interaction);
    const hidden = gate.hides(item.resource) || hold.hides(item.resource);
    if (visible && hidden) consentHid = true;
    return visible && !hidden ? [{ ...item, resource: visible }] : [];
  });
  const { total, ...rest } = bundle;
  const withholdTotal =
    consentHid ||
    (policy.breakGlass && policy.hiddenLabels.length > 0) ||
    (options.ownFiltered && (policy.ownOnly || policy.hiddenLabels.length > 0));
  return { ...rest, ...(withholdTotal || total === undefined ? {} : { total }), entry };
}

/** Batch and transaction responses: a resource the caller may not see reads as not found. */
export async function hideInResponse(deps: Gates, bundle: Bundle): Promise<Bundle> {
  const { policy, gate, hold } = deps;
  await gate.prefetch(resourcesOf(bundle));
  await hold.prepare();
  return {
    ...bundle,
    entry: bundle.entry?.map((item) => {
      if (!item.resource || item.resource.resourceType === 'OperationOutcome') return item;
      const visible = policy.visible(item.resource, 'r');
      return visible && !gate.hides(item.resource) && !hold.hides(item.resource)
        ? { ...item, resource: visible }
        : { response: { status: '404 Not Found' } };
    }),
  };
}

export function resourcesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).flatMap((item) => (item.resource ? [item.resource] : []));
}

export function emptySearchset(): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', entry: [] };
}

export const notFoundIsHidden = (error: unknown) => {
  throw isThroughlineError(error) && (error.code === 'NOT_FOUND' || error.code === 'GONE')
    ? new Hidden()
    : error;
};

export const goneIsFine = (error: unknown) => {
  if (!(isThroughlineError(error) && error.code === 'GONE')) throw error;
};

/** What an audit record says about results: the patients whose data they carry. */
export function describers(compartmentOf: (resource: Resource) => string | undefined) {
  const patientsOf = (resource: Resource | undefined): string[] => {
    const id = resource ? compartmentOf(resource) : undefined;
    return id ? [id] : [];
  };
  return {
    patientsOf,
    ofResource: (resource: Resource): Partial<AuditEntry> => ({
      resourceId: resource.id,
      patients: patientsOf(resource),
    }),
    ofBundle: (bundle: Bundle): Partial<AuditEntry> => ({
      patients: (bundle.entry ?? []).flatMap((entry) => patientsOf(entry.resource)),
    }),
  };
}
