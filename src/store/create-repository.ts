import type { Bundle, Resource } from '@medplum/fhirtypes';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { isResourceType } from '../fhir/definitions.ts';
import { validateResource } from '../fhir/validate-resource.ts';
import type { FhirRepository, WriteResult } from './fhir-repository.ts';
import type { SqlDatabase } from './sql/database.ts';
import type { StoreContext } from './store-context.ts';
import { findSingleMatch, lockCriteria } from './find-matches.ts';
import { readResource, readVersion } from './read/read-resource.ts';
import { readHistory } from './read/read-history.ts';
import { patientEverything } from './read/patient-everything.ts';
import { searchResources } from './search/search-resources.ts';
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
  const write = (writes: PendingWrite[]) => db.transaction((tx) => writeResources(tx, ctx.clock, writes));

  return {
    async create(resource, options) {
      const valid = validateResource(resource);
      if (!options?.ifNoneExist)
        return asResult(
          await write([{ method: 'create', resourceType: valid.resourceType, id: newId(), resource: valid }]),
        );
      return db.transaction(async (tx) => {
        const txCtx = { ...ctx, tx, scope: options.scope };
        await lockCriteria(txCtx, valid.resourceType, options.ifNoneExist as string);
        const existing = await findSingleMatch(txCtx, valid.resourceType, options.ifNoneExist as string);
        if (existing)
          return { resource: existing as typeof resource & { id: string }, outcome: 'existing' as const };
        return asResult(
          await writeResources(tx, ctx.clock, [
            { method: 'create', resourceType: valid.resourceType, id: newId(), resource: valid },
          ]),
        );
      });
    },
    read: async (resourceType, id) => readResource(db, checkType(resourceType), id),
    vread: async (resourceType, id, versionId) => readVersion(db, checkType(resourceType), id, versionId),
    async update(resource, options) {
      const valid = validateResource(resource);
      if (!valid.id)
        throw new ThroughlineError('INVALID_RESOURCE', 'Update needs a resource id', {
          expression: `${valid.resourceType}.id`,
        });
      return asResult(
        await write([
          {
            method: 'update',
            resourceType: valid.resourceType,
            id: valid.id,
            resource: valid,
            expectedVersion: options?.ifMatch,
          },
        ]),
      );
    },
    async conditionalUpdate(resource, query, options) {
      const valid = validateResource(resource);
      return db.transaction(async (tx) => {
        const txCtx = { ...ctx, tx, scope: options?.scope };
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
          await writeResources(tx, ctx.clock, [
            { method: 'update', resourceType: valid.resourceType, id, resource: { ...valid, id } },
          ]),
        );
      });
    },
    async delete(resourceType, id) {
      await write([{ method: 'delete', resourceType: checkType(resourceType), id }]);
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
    processBundle: (bundle: Bundle, options) => processBundle(ctx, bundle, options),
    async refreshStatistics() {
      await db.exec(
        'ANALYZE resource; ANALYZE search_token; ANALYZE search_string; ANALYZE search_date; ANALYZE search_number; ANALYZE search_reference;',
      );
    },
    async importResources(resources, options) {
      const writes: PendingWrite[] = resources.map((resource) => {
        const valid = options?.prevalidated ? resource : validateResource(resource);
        const id = valid.id ?? newId();
        return { method: 'update', resourceType: valid.resourceType, id, resource: { ...valid, id } };
      });
      return (await write(writes)).map(toWriteResult);
    },
  };
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
