import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError, isThroughlineError } from '../kernel/errors.ts';
import { hasPatientCompartment, memoizedCompartmentOf } from '../fhir/compartment.ts';
import type { FhirRepository, SearchRequest, SqlExecutor } from '../store/index.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { Principal, RequestContext } from './principal.ts';
import type { Interaction } from './scopes.ts';
import { accessPolicy, type AccessPolicy } from './policy/access-policy.ts';
import { loadRoleMatrix, type RoleMatrix } from './policy/role-matrix.ts';
import { consentGate, type ConsentGate } from './policy/consent-gate.ts';

export interface ScopeOptions {
  /** The role matrix (default: the one that ships, `policy/role-matrix.json`). */
  matrix?: RoleMatrix;
  /** Patients the caller has an active break-glass grant for. */
  breakGlassPatients?: ReadonlySet<string>;
  /** For a patient's own token: the other records linked to their patient record (identity's golden record and its members). */
  linkedRecords?: readonly string[];
}

/** Thrown inside a guarded call when data exists but is not the caller's to see: audited as denied, answered as not found. */
class Hidden extends Error {}

/**
 * The access checkpoint (house rule 7): the one place every read and write of FHIR data
 * passes. It returns the same FhirRepository port, scoped to the caller: each interaction is
 * checked against the role matrix narrowed by the caller's SMART scopes; what the caller may
 * not see (another patient's data, sensitive data beyond their labels) is dropped from every
 * result — searches, includes, history, $everything, bundles — and reads of it answer "not
 * found", exactly as for data that does not exist; masked elements are removed. Every call
 * leaves an audit record, awaited before any data is returned.
 */
export function scopeRepository(
  repository: FhirRepository,
  principal: Principal,
  context: RequestContext,
  auditDb: SqlExecutor,
  options: ScopeOptions = {},
): FhirRepository {
  const breakGlassPatients = options.breakGlassPatients ?? new Set<string>();
  // Audit, consent and ownership all ask for each returned resource's patient: once is enough.
  const compartmentOf = memoizedCompartmentOf();
  const policy = accessPolicy(
    options.matrix ?? loadRoleMatrix(),
    principal,
    breakGlassPatients,
    compartmentOf,
    options.linkedRecords,
  );
  const gate = consentGate(repository, principal, {
    ownOnly: policy.ownOnly,
    breakGlassPatients,
    brokeGlassFor: policy.brokeGlassFor,
    compartmentOf,
  });
  const { ofResource, ofBundle, patientsOf } = describers(compartmentOf);
  const audit = (entry: AuditEntry, auditTo: SqlExecutor = auditDb) =>
    recordAudit(auditTo, principal, context, {
      ...entry,
      ...(policy.brokeGlassFor.size > 0
        ? { detail: `break-glass${entry.detail ? ` ${entry.detail}` : ''}` }
        : {}),
    });
  const guard = async <T>(
    action: string,
    resourceType: string,
    interaction: Interaction | undefined,
    run: () => Promise<T>,
    describe: (value: T) => Partial<AuditEntry>,
    resourceId?: string,
    // A write inside the caller's transaction is audited in it: both commit, or neither.
    auditTo?: SqlExecutor,
  ): Promise<T> => {
    const denied = { action, resourceType, resourceId, patients: [], outcome: 'denied' as const };
    if (interaction && !policy.canInteract(resourceType, interaction)) {
      await audit(denied, auditTo);
      throw new ThroughlineError('FORBIDDEN', `Not allowed: ${action} ${resourceType}`);
    }
    try {
      const value = await run();
      await audit(
        { action, resourceType, resourceId, patients: [], outcome: 'success', ...describe(value) },
        auditTo,
      );
      return value;
    } catch (error) {
      if (error instanceof Hidden) {
        await audit({ ...denied, detail: 'hidden' }, auditTo);
        throw new ThroughlineError('NOT_FOUND', `${resourceType}/${resourceId ?? ''} not found`);
      }
      // Unexpected errors are audited too: every attempt leaves a trace. Inside the caller's
      // transaction the trace would roll back with it (and after an SQL error could not even be
      // written): the caller, which rolls back, retries on its own and that attempt is audited.
      if (auditTo) throw error;
      const detail = isThroughlineError(error) ? error.code : 'INTERNAL';
      await audit({ action, resourceType, resourceId, patients: [], outcome: 'failure', detail });
      throw error;
    }
  };
  const seen = async <T extends Resource>(resource: T, interaction: 'r' | 's'): Promise<T> => {
    const visible = policy.visible(resource, interaction);
    if (!visible) throw new Hidden();
    await gate.prefetch([resource]);
    if (gate.hides(resource)) throw new Hidden();
    return visible as T;
  };
  const readOwned = async (type: string, id: string) => seen(await repository.read(type, id), 'r');
  const writeCheck = async (resource: Resource, existingId?: string) => {
    if (!policy.owns(resource)) throw new Hidden();
    if (policy.ownOnly && existingId)
      await readOwned(resource.resourceType, existingId).catch(notFoundIsHidden);
  };

  return {
    create: (resource, options) =>
      guard(
        'create',
        resource.resourceType,
        'c',
        async () => {
          await writeCheck(resource);
          return repository.create(resource, options);
        },
        (r) => ofResource(r.resource),
      ),
    read: <T extends Resource>(type: string, id: string) =>
      guard('read', type, 'r', async () => (await readOwned(type, id)) as T, ofResource, id),
    vread: <T extends Resource>(type: string, id: string, versionId: string) =>
      guard(
        'vread',
        type,
        'r',
        async () => seen(await repository.vread<T>(type, id, versionId), 'r'),
        ofResource,
        id,
      ),
    update: (resource, options) =>
      guard(
        'update',
        resource.resourceType,
        'u',
        async () => {
          await writeCheck(resource, resource.id);
          return repository.update(resource, options);
        },
        (r) => ofResource(r.resource),
        resource.id,
      ),
    conditionalUpdate: (resource, query) =>
      guard(
        'update',
        resource.resourceType,
        'u',
        async () => {
          // A condition could match another patient's resource: one-patient callers update by id.
          if (policy.ownOnly)
            throw new ThroughlineError('FORBIDDEN', 'Conditional update is not available to patient apps');
          return repository.conditionalUpdate(resource, query);
        },
        (r) => ofResource(r.resource),
      ),
    delete: (type, id) =>
      guard(
        'delete',
        type,
        'd',
        async () => {
          if (policy.ownOnly) await readOwned(type, id).catch(notFoundIsHidden);
          return repository.delete(type, id);
        },
        () => ({}),
        id,
      ),
    history: (request) =>
      guard(
        'history',
        request.resourceType ?? '*',
        'r',
        async () => {
          if (request.resourceType && request.id)
            await readOwned(request.resourceType, request.id).catch(goneIsFine);
          return visibleOnly(policy, gate, await repository.history(request), 'r', true);
        },
        ofBundle,
        request.id,
      ),
    search: (request) =>
      guard(
        'search',
        request.resourceType,
        's',
        async () => {
          const own = restrictToOwnPatient(policy, request);
          if (!own) return emptySearchset();
          return visibleOnly(
            policy,
            gate,
            await repository.search(withoutHiddenLabels(policy, own)),
            's',
            false,
          );
        },
        ofBundle,
      ),
    everything: (request) =>
      guard(
        'everything',
        'Patient',
        'r',
        async () => {
          if (policy.ownOnly && !policy.ownPatients.has(request.patientId)) throw new Hidden();
          return visibleOnly(policy, gate, await repository.everything(request), 'r', true);
        },
        ofBundle,
        request.patientId,
      ),
    processBundle: async (bundle, options) => {
      if (policy.ownOnly)
        throw new ThroughlineError(
          'FORBIDDEN',
          'Batch and transaction Bundles are not available to patient apps',
        );
      // Consent checks read outside the caller's transaction (one connection on PGlite):
      // only system principals, which consent does not restrict, may write inside one.
      if (options?.transaction && principal.kind !== 'system')
        throw new ThroughlineError('FORBIDDEN', 'Only system principals write inside a caller transaction');
      for (const [index, entry] of (bundle.entry ?? []).entries()) checkEntry(policy, entry, index);
      // Each entry was checked above; the Bundle itself needs no scope of its own.
      return guard(
        `bundle-${bundle.type}`,
        'Bundle',
        undefined,
        async () => hideInResponse(policy, gate, await repository.processBundle(bundle, options)),
        ofBundle,
        undefined,
        options?.transaction,
      );
    },
    refreshStatistics: () => repository.refreshStatistics(),
    importResources: async (resources, options) => {
      for (const type of new Set(resources.map((resource) => resource.resourceType)))
        if (policy.ownOnly || !policy.canInteract(type, 'c') || !policy.canInteract(type, 'u'))
          throw new ThroughlineError('FORBIDDEN', `Not allowed: import ${type}`);
      return guard(
        'import',
        'Bundle',
        'c',
        () => repository.importResources(resources, options),
        (results) => ({
          patients: results.flatMap((r) => patientsOf(r.resource)),
        }),
      );
    },
  };
}

const notFoundIsHidden = (error: unknown) => {
  throw isThroughlineError(error) && (error.code === 'NOT_FOUND' || error.code === 'GONE')
    ? new Hidden()
    : error;
};
const goneIsFine = (error: unknown) => {
  if (!(isThroughlineError(error) && error.code === 'GONE')) throw error;
};

/**
 * One-patient callers search their own compartment only: Patient searches get `_id`, other
 * patient data gets the compartment (a request for another patient's compartment finds
 * nothing); directory data is searched as asked. Totals then count only their own data.
 */
function restrictToOwnPatient(policy: AccessPolicy, request: Omit<SearchRequest, 'baseUrl'>) {
  if (!policy.ownOnly || !hasPatientCompartment(request.resourceType)) return request;
  const own = policy.ownPatient;
  if (!own || (request.compartment && !policy.ownPatients.has(request.compartment.id))) return undefined;
  const ids = [...policy.ownPatients];
  if (request.resourceType === 'Patient')
    return { ...request, params: [...request.params, ['_id', ids.join(',')]] as [string, string][] };
  return {
    ...request,
    compartment: { resourceType: 'Patient' as const, id: request.compartment?.id ?? own, ids },
  };
}

/**
 * Sensitive data the caller may not see is excluded in the query (`_security:not`), so totals
 * and paging count only what they may see. With break-glass grants the query cannot know which
 * patients are open, so rows are filtered afterwards and the total is withheld.
 */
function withoutHiddenLabels(policy: AccessPolicy, request: Omit<SearchRequest, 'baseUrl'>) {
  if (policy.breakGlass || policy.hiddenLabels.length === 0) return request;
  const excluded = policy.hiddenLabels.map((label): [string, string] => [
    '_security:not',
    `${label.system}|${label.code}`,
  ]);
  return { ...request, params: [...request.params, ...excluded] };
}

/** Drops (or masks) what the caller may not see; withholds totals that would count what was dropped. */
async function visibleOnly(
  policy: AccessPolicy,
  gate: ConsentGate,
  bundle: Bundle,
  interaction: 'r' | 's',
  ownFiltered: boolean,
): Promise<Bundle> {
  await gate.prefetch((bundle.entry ?? []).flatMap((item) => (item.resource ? [item.resource] : [])));
  let consentHid = false;
  const entry = (bundle.entry ?? []).flatMap((item): BundleEntry[] => {
    if (!item.resource || item.resource.resourceType === 'OperationOutcome') return [item];
    const visible = policy.visible(item.resource, interaction);
    if (visible && gate.hides(item.resource)) consentHid = true;
    return visible && !gate.hides(item.resource) ? [{ ...item, resource: visible }] : [];
  });
  const { total, ...rest } = bundle;
  const withholdTotal =
    consentHid ||
    (policy.breakGlass && policy.hiddenLabels.length > 0) ||
    (ownFiltered && (policy.ownOnly || policy.hiddenLabels.length > 0));
  return { ...rest, ...(withholdTotal || total === undefined ? {} : { total }), entry };
}

/** Batch and transaction responses: a resource the caller may not see reads as not found. */
async function hideInResponse(policy: AccessPolicy, gate: ConsentGate, bundle: Bundle): Promise<Bundle> {
  await gate.prefetch((bundle.entry ?? []).flatMap((item) => (item.resource ? [item.resource] : [])));
  return {
    ...bundle,
    entry: bundle.entry?.map((item) => {
      if (!item.resource || item.resource.resourceType === 'OperationOutcome') return item;
      const visible = policy.visible(item.resource, 'r');
      return visible && !gate.hides(item.resource)
        ? { ...item, resource: visible }
        : { response: { status: '404 Not Found' } };
    }),
  };
}

function emptySearchset(): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', entry: [] };
}

const methodInteraction: Record<string, Interaction> = {
  GET: 'r',
  HEAD: 'r',
  POST: 'c',
  PUT: 'u',
  PATCH: 'u',
  DELETE: 'd',
};

function checkEntry(policy: AccessPolicy, entry: BundleEntry, index: number): void {
  const method = entry.request?.method ?? 'GET';
  const type = (entry.request?.url ?? '').replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  const interaction =
    method === 'GET' && !/\//.test(entry.request?.url ?? '') ? 's' : (methodInteraction[method] ?? 'r');
  if (!policy.canInteract(type, interaction)) {
    throw new ThroughlineError('FORBIDDEN', `Not allowed: ${method} ${type}`, {
      expression: `Bundle.entry[${index}].request`,
    });
  }
}

/** What an audit record says about results: the patients whose data they carry. */
function describers(compartmentOf: (resource: Resource) => string | undefined) {
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
