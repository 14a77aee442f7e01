import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../kernel/errors.ts';
import { memoizedCompartmentOf } from '../fhir/compartment.ts';
import type { FhirRepository, SqlExecutor, WriteResult } from '../store/index.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { Principal, RequestContext } from './principal.ts';
import { accessPolicy } from './policy/access-policy.ts';
import { loadRoleMatrix, type RoleMatrix } from './policy/role-matrix.ts';
import { consentGate } from './policy/consent-gate.ts';
import { conditionalScope, seen, storedForWrite, type Checkpoint } from './checkpoint/checkpoint.ts';
import { guardOf, Hidden, type Audit } from './checkpoint/guard.ts';
import { describers, emptySearchset, goneIsFine, scopedSearch, visibleOnly } from './checkpoint/results.ts';
import { processScopedBundle } from './checkpoint/scoped-bundle.ts';
import { prepareWrite } from './checkpoint/write-checks.ts';

export interface ScopeOptions {
  /** The role matrix (default: the one that ships, `policy/role-matrix.json`). */
  matrix?: RoleMatrix;
  /** Patients the caller has an active break-glass grant for. */
  breakGlassPatients?: ReadonlySet<string>;
  /** For a patient's own token: the other records identity linked to their patient record (both sides agreeing). */
  linkedRecords?: readonly string[];
}

/**
 * The access checkpoint (house rule 7): the one place every read and write of FHIR data
 * passes. It returns the same FhirRepository port, scoped to the caller. Like HAPI FHIR's
 * consent service it is a lifecycle of small hooks (`checkpoint/`): may the caller do this at
 * all (`guard`, the role matrix narrowed by SMART scopes); what a search, chain, `_has` or
 * conditional criterion may look at (`scopedSearch`, `conditionalScope`); may they see each
 * result (`seen`, `visibleOnly`: compartment, labels, consent, masks — what they may not see
 * reads as not found); may they write this (`prepareWrite`: element rules, ownership, labels);
 * and the audit record of every call, awaited before any data is returned.
 */
export function scopeRepository(
  repository: FhirRepository,
  principal: Principal,
  context: RequestContext,
  auditDb: SqlExecutor,
  options: ScopeOptions = {},
): FhirRepository {
  const cp = checkpointOf({ repository, principal, context, auditDb, options });
  const scoped: FhirRepository = {
    ...readHooks(cp),
    ...writeHooks(cp),
    processBundle: (bundle, bulk) => processScopedBundle(cp, scoped, { bundle, options: bulk }),
    refreshStatistics: () => repository.refreshStatistics(),
    importResources: (resources, bulk) => importScoped(cp, { resources, options: bulk }),
  };
  return scoped;
}

function checkpointOf(deps: {
  repository: FhirRepository;
  principal: Principal;
  context: RequestContext;
  auditDb: SqlExecutor;
  options: ScopeOptions;
}): Checkpoint {
  const { repository, principal, context, auditDb, options } = deps;
  const breakGlassPatients = options.breakGlassPatients ?? new Set<string>();
  // Audit, consent and ownership all ask for each returned resource's patient: once is enough.
  const compartmentOf = memoizedCompartmentOf();
  const matrix = options.matrix ?? loadRoleMatrix();
  const policy = accessPolicy(matrix, principal, breakGlassPatients, compartmentOf, options.linkedRecords);
  const gate = consentGate(repository, principal, {
    ownOnly: policy.ownOnly,
    breakGlassPatients,
    brokeGlassFor: policy.brokeGlassFor,
    compartmentOf,
  });
  const audit: Audit = (entry: AuditEntry, auditTo: SqlExecutor = auditDb) =>
    recordAudit(auditTo, principal, context, {
      ...entry,
      ...(policy.brokeGlassFor.size > 0
        ? { detail: `break-glass${entry.detail ? ` ${entry.detail}` : ''}` }
        : {}),
    });
  return { repository, principal, policy, gate, guard: guardOf(policy, audit), compartmentOf };
}

type ReadHooks = Pick<FhirRepository, 'read' | 'vread' | 'history' | 'search' | 'everything'>;

function readHooks(cp: Checkpoint): ReadHooks {
  const { repository, policy, guard } = cp;
  const { ofResource, ofBundle } = describers(cp.compartmentOf);
  const readOwned = async (type: string, id: string) => seen(cp, await repository.read(type, id), 'r');
  return {
    read: <T extends Resource>(type: string, id: string) =>
      guard({
        action: 'read',
        resourceType: type,
        interaction: 'r',
        resourceId: id,
        describe: ofResource,
        run: async () => (await readOwned(type, id)) as T,
      }),
    vread: <T extends Resource>(type: string, id: string, versionId: string) =>
      guard({
        action: 'vread',
        resourceType: type,
        interaction: 'r',
        resourceId: id,
        describe: ofResource,
        run: async () => seen(cp, await repository.vread<T>(type, id, versionId), 'r'),
      }),
    history: (request) =>
      guard({
        action: 'history',
        resourceType: request.resourceType ?? '*',
        interaction: 'r',
        resourceId: request.id,
        describe: ofBundle,
        run: async () => {
          if (request.resourceType && request.id)
            await readOwned(request.resourceType, request.id).catch(goneIsFine);
          return visibleOnly(cp, await repository.history(request), { interaction: 'r', ownFiltered: true });
        },
      }),
    search: (request) =>
      guard({
        action: 'search',
        resourceType: request.resourceType,
        interaction: 's',
        describe: ofBundle,
        run: async () => {
          const own = await scopedSearch(cp, request);
          if (!own) return emptySearchset();
          return visibleOnly(cp, await repository.search(own), { interaction: 's', ownFiltered: false });
        },
      }),
    everything: (request) =>
      guard({
        action: 'everything',
        resourceType: 'Patient',
        interaction: 'r',
        resourceId: request.patientId,
        describe: ofBundle,
        run: async () => {
          if (policy.ownOnly && !policy.ownPatients.has(request.patientId)) throw new Hidden();
          return visibleOnly(cp, await repository.everything(request), {
            interaction: 'r',
            ownFiltered: true,
          });
        },
      }),
  };
}

type WriteHooks = Pick<FhirRepository, 'create' | 'update' | 'conditionalUpdate' | 'delete'>;

function writeHooks(cp: Checkpoint): WriteHooks {
  const { repository, policy, guard } = cp;
  const { ofResource } = describers(cp.compartmentOf);
  const describe = (result: WriteResult) => ofResource(result.resource);
  return {
    create: (resource, options) =>
      guard({
        action: 'create',
        resourceType: resource.resourceType,
        interaction: 'c',
        describe,
        run: async () => {
          const checked = prepareWrite(cp, resource, undefined) as typeof resource;
          const ifNoneExist = options?.ifNoneExist;
          if (!ifNoneExist) return repository.create(checked);
          const scope = await conditionalScope(cp, [
            { resourceType: resource.resourceType, query: ifNoneExist },
          ]);
          return shownResult(cp, await repository.create(checked, { ifNoneExist, scope }));
        },
      }),
    update: (resource, options) =>
      guard({
        action: 'update',
        resourceType: resource.resourceType,
        interaction: 'u',
        resourceId: resource.id,
        describe,
        run: async () => {
          const stored = resource.id
            ? await storedForWrite(cp, resource.resourceType, resource.id)
            : undefined;
          return repository.update(prepareWrite(cp, resource, stored) as typeof resource, options);
        },
      }),
    conditionalUpdate: (resource, query) =>
      guard({
        action: 'update',
        resourceType: resource.resourceType,
        interaction: 'u',
        describe,
        run: async () => {
          // One-patient callers update by id: what they may change is then plain to check.
          if (policy.ownOnly)
            throw new ThroughlineError('FORBIDDEN', 'Conditional update is not available to patient apps');
          const scope = await conditionalScope(cp, [{ resourceType: resource.resourceType, query }]);
          const checked = prepareWrite(cp, resource, undefined) as typeof resource;
          return shownResult(cp, await repository.conditionalUpdate(checked, query, { scope }));
        },
      }),
    delete: (type, id) =>
      guard({
        action: 'delete',
        resourceType: type,
        interaction: 'd',
        resourceId: id,
        describe: () => ({}),
        run: async () => {
          await storedForWrite(cp, type, id);
          return repository.delete(type, id);
        },
      }),
  };
}

/** A conditional write's result as the caller may see it (a match was admitted, so visible; masks still apply). */
function shownResult<T extends Resource>(cp: Checkpoint, result: WriteResult<T>): WriteResult<T> {
  const visible = cp.policy.visible(result.resource, 'r');
  if (!visible) throw new Hidden();
  return { ...result, resource: visible as T & { id: string } };
}

function importScoped(
  cp: Checkpoint,
  request: { resources: Resource[]; options?: Parameters<FhirRepository['importResources']>[1] },
) {
  const { policy } = cp;
  const { patientsOf } = describers(cp.compartmentOf);
  for (const type of new Set(request.resources.map((resource) => resource.resourceType)))
    if (policy.ownOnly || !policy.canInteract(type, 'c') || !policy.canInteract(type, 'u'))
      throw new ThroughlineError('FORBIDDEN', `Not allowed: import ${type}`);
  return cp.guard({
    action: 'import',
    resourceType: 'Bundle',
    interaction: 'c',
    run: () => cp.repository.importResources(request.resources, request.options),
    describe: (results: WriteResult[]) => ({ patients: results.flatMap((r) => patientsOf(r.resource)) }),
  });
}
