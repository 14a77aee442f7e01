import type { Bundle, Resource } from '@medplum/fhirtypes';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { isResourceType } from '../fhir/definitions.ts';
import { validateResource } from '../fhir/validate-resource.ts';
import type { ConditionalOptions, FhirRepository, SearchScope, WriteResult } from './fhir-repository.ts';
import type { SqlDatabase } from './sql/database.ts';
import type { StoreContext } from './store-context.ts';
import { findSingleMatch, lockCriteria } from './find-matches.ts';
import { readResource, readVersion } from './read/read-resource.ts';
import { readHistory } from './read/read-history.ts';
import { patientEverything } from './read/patient-everything.ts';
import { searchResources } from './search/search-resources.ts';
import { readStoredPage } from './search/read-stored-page.ts';
import { processBundle } from './bundle/process-bundle.ts';
import { writeResources } from './write/write-resources.ts';
import type { CommittedWrite, PendingWrite } from './write/pending-write.ts';

export interface RepositoryOptions {
  /** Public FHIR base URL, e.g. http://localhost:8080/fhir. */
  baseUrl: string;
  clock?: Clock;
}

/** The FHIR store over one SQL database (PGlite or server PostgreSQL). */
export function createFhirRepository(db: SqlDatabase, options: RepositoryOptions): FhirRepository {
  const ctx: StoreContext = {
    db,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    clock: options.clock ?? systemClock,
  };
  return {
    create: (resource, options) => createResource(ctx, resource, options),
    read: async (resourceType, id) => readResource(db, checkType(resourceType), id),
    vread: async (resourceType, id, versionId) =>
      readVersion(db, { resourceType: checkType(resourceType), id, versionId }),
    update: (resource, options) => updateResource(ctx, resource, options?.ifMatch),
    conditionalUpdate: (resource, query, options) =>
      conditionalUpdate(ctx, resource, { query, scope: options?.scope }),
    async delete(resourceType, id) {
      await writeInTransaction(ctx, [{ method: 'delete', resourceType: checkType(resourceType), id }]);
    },
    history: async (request) =>
      readHistory(db, ctx.baseUrl, {
        ...request,
        resourceType: request.resourceType && checkType(request.resourceType),
      }),
    search: async (request) =>
      searchResources(db, {
        ...request,
        resourceType: checkType(request.resourceType),
        baseUrl: ctx.baseUrl,
      }),
    everything: (request) => patientEverything(db, ctx.baseUrl, request),
    readStoredPage: async (request) =>
      readStoredPage(db, { ...request, resourceType: checkType(request.resourceType), baseUrl: ctx.baseUrl }),
    processBundle: (bundle: Bundle, options) => processBundle(ctx, bundle, options),
    async refreshStatistics() {
      await db.exec(
        'ANALYZE resource; ANALYZE search_token; ANALYZE search_string; ANALYZE search_date; ANALYZE search_number; ANALYZE search_reference;',
      );
    },
    importResources: (resources) => importResources(ctx, resources),
  };
}

/** The pending writes, in a transaction of their own. */
function writeInTransaction(ctx: StoreContext, writes: PendingWrite[]): Promise<CommittedWrite[]> {
  return ctx.db.transaction((tx) => writeResources({ tx, clock: ctx.clock }, writes));
}

/** Create; with `ifNoneExist`, the match of those criteria instead when there is one. */
async function createResource<T extends Resource>(
  ctx: StoreContext,
  resource: T,
  options?: { ifNoneExist?: string } & ConditionalOptions,
): Promise<WriteResult<T>> {
  const valid = validateResource(resource);
  if (!options?.ifNoneExist)
    return asResult(
      await writeInTransaction(ctx, [
        { method: 'create', resourceType: valid.resourceType, id: newId(), resource: valid },
      ]),
    );
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, tx, scope: options.scope };
    await lockCriteria(txCtx, valid.resourceType, options.ifNoneExist as string);
    const existing = await findSingleMatch(txCtx, valid.resourceType, options.ifNoneExist as string);
    if (existing)
      return { resource: existing as typeof resource & { id: string }, outcome: 'existing' as const };
    return asResult(
      await writeResources({ tx, clock: ctx.clock }, [
        { method: 'create', resourceType: valid.resourceType, id: newId(), resource: valid },
      ]),
    );
  });
}

/** Update by id; `ifMatch` is the version the caller expects to replace. */
async function updateResource<T extends Resource>(
  ctx: StoreContext,
  resource: T,
  ifMatch: string | undefined,
): Promise<WriteResult<T>> {
  const valid = validateResource(resource);
  if (!valid.id)
    throw new ThroughlineError('INVALID_RESOURCE', 'Update needs a resource id', {
      expression: `${valid.resourceType}.id`,
    });
  return asResult(
    await writeInTransaction(ctx, [
      {
        method: 'update',
        resourceType: valid.resourceType,
        id: valid.id,
        resource: valid,
        expectedVersion: ifMatch,
      },
    ]),
  );
}

/** A conditional update's search string and whose criteria it runs as. */
interface UpdateCriteria {
  query: string;
  scope?: SearchScope;
}

/** Update the single match of the criteria, or create when nothing matches. */
async function conditionalUpdate<T extends Resource>(
  ctx: StoreContext,
  resource: T,
  { query, scope }: UpdateCriteria,
): Promise<WriteResult<T>> {
  const valid = validateResource(resource);
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, tx, scope };
    await lockCriteria(txCtx, valid.resourceType, query);
    const match = await findSingleMatch(txCtx, valid.resourceType, query);
    if (match && valid.id && valid.id !== match.id) {
      throw new ThroughlineError(
        'INVALID_REQUEST',
        `Resource id ${valid.id} does not match the resource found (${match.id})`,
      );
    }
    const id = match?.id ?? valid.id ?? newId();
    return asResult(
      await writeResources({ tx, clock: ctx.clock }, [
        { method: 'update', resourceType: valid.resourceType, id, resource: { ...valid, id } },
      ]),
    );
  });
}

/** Bulk import: upserts every resource by id (a new id when it has none) in one transaction. */
async function importResources(ctx: StoreContext, resources: Resource[]): Promise<WriteResult[]> {
  const writes: PendingWrite[] = resources.map((resource) => {
    const valid = validateResource(resource);
    const id = valid.id ?? newId();
    return { method: 'update', resourceType: valid.resourceType, id, resource: { ...valid, id } };
  });
  return (await writeInTransaction(ctx, writes)).map(toWriteResult);
}

function checkType(resourceType: string): string {
  if (!isResourceType(resourceType)) {
    throw new ThroughlineError('UNKNOWN_RESOURCE_TYPE', `Unknown resource type "${resourceType}"`);
  }
  return resourceType;
}

function toWriteResult(committed: CommittedWrite): WriteResult {
  const outcome =
    committed.outcome === 'created' || committed.outcome === 'updated' ? committed.outcome : 'unchanged';
  return { resource: committed.resource as Resource & { id: string }, outcome };
}

function asResult<T extends Resource>(committed: CommittedWrite[]): WriteResult<T> {
  return toWriteResult(committed[0] as CommittedWrite) as WriteResult<T>;
}
