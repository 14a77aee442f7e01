import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError, isThroughlineError } from '../kernel/errors.ts';
import { patientCompartmentOf } from '../fhir/compartment.ts';
import type { FhirRepository, SqlExecutor } from '../store/index.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { Principal, RequestContext } from './principal.ts';
import { scopesAllow, type Interaction } from './scopes.ts';

/**
 * The access checkpoint (house rule 7): the one place every read and write of FHIR data passes.
 * It returns the same FhirRepository port, scoped to the caller: each interaction is checked
 * against the caller's scopes (FORBIDDEN otherwise), resources of types the caller may not read
 * are dropped from searches, includes and $everything, and every call leaves an audit record —
 * awaited before any data is returned. Role policies, consent and field masks (issue 5) plug
 * in here.
 */
export function scopeRepository(
  repository: FhirRepository,
  principal: Principal,
  context: RequestContext,
  auditDb: SqlExecutor,
): FhirRepository {
  const audit = (entry: AuditEntry) => recordAudit(auditDb, principal, context, entry);
  const guard = async <T>(
    action: string,
    resourceType: string,
    interaction: Interaction | undefined,
    run: () => Promise<T>,
    describe: (value: T) => Partial<AuditEntry>,
    resourceId?: string,
  ): Promise<T> => {
    if (interaction && !scopesAllow(principal.scopes, resourceType, interaction)) {
      await audit({ action, resourceType, resourceId, patients: [], outcome: 'denied' });
      throw new ThroughlineError('FORBIDDEN', `Not allowed: ${action} ${resourceType}`);
    }
    try {
      const value = await run();
      await audit({ action, resourceType, resourceId, patients: [], outcome: 'success', ...describe(value) });
      return value;
    } catch (error) {
      // Unexpected errors are audited too: every attempt leaves a trace.
      const detail = isThroughlineError(error) ? error.code : 'INTERNAL';
      await audit({ action, resourceType, resourceId, patients: [], outcome: 'failure', detail });
      throw error;
    }
  };
  const readable = (type: string) =>
    scopesAllow(principal.scopes, type, 'r') || scopesAllow(principal.scopes, type, 's');
  const filterBundle = (bundle: Bundle): Bundle => ({
    ...bundle,
    entry: bundle.entry?.filter(
      (entry) =>
        !entry.resource ||
        entry.resource.resourceType === 'OperationOutcome' ||
        readable(entry.resource.resourceType),
    ),
  });

  return {
    create: (resource, options) =>
      guard(
        'create',
        resource.resourceType,
        'c',
        () => repository.create(resource, options),
        (r) => ofResource(r.resource),
      ),
    read: (type, id) =>
      guard(
        'read',
        type,
        'r',
        () => repository.read(type, id),
        (r) => ofResource(r),
        id,
      ),
    vread: (type, id, versionId) =>
      guard(
        'vread',
        type,
        'r',
        () => repository.vread(type, id, versionId),
        (r) => ofResource(r),
        id,
      ),
    update: (resource, options) =>
      guard(
        'update',
        resource.resourceType,
        'u',
        () => repository.update(resource, options),
        (r) => ofResource(r.resource),
        resource.id,
      ),
    conditionalUpdate: (resource, query) =>
      guard(
        'update',
        resource.resourceType,
        'u',
        () => repository.conditionalUpdate(resource, query),
        (r) => ofResource(r.resource),
      ),
    delete: (type, id) =>
      guard(
        'delete',
        type,
        'd',
        () => repository.delete(type, id),
        () => ({}),
        id,
      ),
    history: (request) =>
      guard(
        'history',
        request.resourceType ?? '*',
        'r',
        async () => filterBundle(await repository.history(request)),
        ofBundle,
        request.id,
      ),
    search: (request) =>
      guard(
        'search',
        request.resourceType,
        's',
        async () => filterBundle(await repository.search(request)),
        ofBundle,
      ),
    everything: (request) =>
      guard(
        'everything',
        'Patient',
        'r',
        async () => filterBundle(await repository.everything(request)),
        ofBundle,
        request.patientId,
      ),
    processBundle: async (bundle, options) => {
      for (const [index, entry] of (bundle.entry ?? []).entries()) checkEntry(principal, entry, index);
      // Each entry was checked above; the Bundle itself needs no scope of its own.
      return guard(
        `bundle-${bundle.type}`,
        'Bundle',
        undefined,
        () => repository.processBundle(bundle, options),
        ofBundle,
      );
    },
    refreshStatistics: () => repository.refreshStatistics(),
    importResources: async (resources, options) => {
      for (const type of new Set(resources.map((resource) => resource.resourceType))) {
        if (!scopesAllow(principal.scopes, type, 'c') || !scopesAllow(principal.scopes, type, 'u')) {
          throw new ThroughlineError('FORBIDDEN', `Not allowed: import ${type}`);
        }
      }
      return guard(
        'import',
        'Bundle',
        'c',
        () => repository.importResources(resources, options),
        (results) => ({ patients: results.flatMap((r) => compartmentOf(r.resource)) }),
      );
    },
  };
}

const methodInteraction: Record<string, Interaction> = {
  GET: 'r',
  HEAD: 'r',
  POST: 'c',
  PUT: 'u',
  PATCH: 'u',
  DELETE: 'd',
};

function checkEntry(principal: Principal, entry: BundleEntry, index: number): void {
  const method = entry.request?.method ?? 'GET';
  const type = (entry.request?.url ?? '').replace(/^\/+/, '').split(/[/?]/)[0] ?? '';
  const interaction =
    method === 'GET' && !/\//.test(entry.request?.url ?? '') ? 's' : (methodInteraction[method] ?? 'r');
  if (!scopesAllow(principal.scopes, type, interaction)) {
    throw new ThroughlineError('FORBIDDEN', `Not allowed: ${method} ${type}`, {
      expression: `Bundle.entry[${index}].request`,
    });
  }
}

function compartmentOf(resource: Resource | undefined): string[] {
  const id = resource ? patientCompartmentOf(resource) : undefined;
  return id ? [id] : [];
}

function ofResource(resource: Resource): Partial<AuditEntry> {
  return { resourceId: resource.id, patients: compartmentOf(resource) };
}

function ofBundle(bundle: Bundle): Partial<AuditEntry> {
  return { patients: (bundle.entry ?? []).flatMap((entry) => compartmentOf(entry.resource)) };
}
