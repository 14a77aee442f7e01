import type { Resource } from '@medplum/fhirtypes';
import {
  batchSubscriber,
  replaceKpiFacts,
  type ChangeEvent,
  type EventHandler,
  type FhirRepository,
  type SqlDatabase,
} from '../../store/index.ts';
import { factsOfResource, factTypes } from './resource-facts.ts';

/** The store's limit of values per search parameter: ids are read this many at a time. */
const idsPerSearch = 100;

export interface KpiFactDeps {
  /** The analytics service's scoped store: every read is access-checked and audited. */
  repository: FhirRepository;
  db: SqlDatabase;
}

/**
 * Keeps each resource's KPI facts as it changes (DESIGN rule 3: analytics reacts to change
 * events). A batch reads each changed resource once, as it is now, and replaces its facts: a
 * replayed or repeated event changes nothing, and a deleted resource leaves none. A new
 * database (or one older than the facts) catches up by replaying the outbox from its start.
 */
export function keepKpiFacts(deps: KpiFactDeps): EventHandler {
  return batchSubscriber({
    subscriber: 'analytics-kpi-facts',
    batchSize: 1000,
    handleBatch: (events) => refreshFacts(deps, events),
  });
}

async function refreshFacts(deps: KpiFactDeps, events: ChangeEvent[]): Promise<void> {
  const idsByType = new Map<string, Set<string>>();
  for (const event of events) {
    if (!factTypes.includes(event.resourceType)) continue;
    const ids = idsByType.get(event.resourceType) ?? new Set<string>();
    idsByType.set(event.resourceType, ids.add(event.id));
  }
  const changed = await Promise.all(
    [...idsByType].flatMap(([resourceType, ids]) =>
      chunks([...ids], idsPerSearch).map((chunk) => readCurrent(deps.repository, resourceType, chunk)),
    ),
  );
  await replaceKpiFacts(
    deps.db,
    changed.flat().map(({ resourceType, id, resource }) => ({
      source: { resourceType, id },
      facts: resource ? factsOfResource(resource) : [],
    })),
  );
}

/** The resources as they are now (`resource` absent: deleted, or not visible to analytics). */
async function readCurrent(repository: FhirRepository, resourceType: string, ids: string[]) {
  const bundle = await repository.search({
    resourceType,
    params: [
      ['_id', ids.join(',')],
      ['_count', String(ids.length)],
    ],
  });
  const found = new Map<string, Resource>();
  for (const entry of bundle.entry ?? [])
    if (entry.resource?.id) found.set(entry.resource.id, entry.resource);
  return ids.map((id) => ({ resourceType, id, resource: found.get(id) }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
