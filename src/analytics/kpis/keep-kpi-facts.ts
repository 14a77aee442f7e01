import type { CarePlan, Resource } from '@medplum/fhirtypes';
import {
  batchSubscriber,
  readKpiFactsLinkedTo,
  replaceKpiFacts,
  type ChangeEvent,
  type EventHandler,
  type FhirRepository,
  type SqlDatabase,
} from '../../store/index.ts';
import { carePlanVisitKpi, plannedVisitsOf } from './care-plan-visit-kpis.ts';
import { factsOfResource, factTypes } from './resource-facts.ts';
import { derivedAdherence } from './adherence-runs.ts';

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
  return {
    ...batchSubscriber({
      subscriber: 'analytics-kpi-facts',
      batchSize: 1000,
      handleBatch: (events) => refreshFacts(deps, events),
    }),
    resourceTypes: () => factTypes,
  };
}

async function refreshFacts(deps: KpiFactDeps, events: ChangeEvent[]): Promise<void> {
  const idsByType = new Map<string, Set<string>>();
  for (const event of events) {
    if (!factTypes.includes(event.resourceType)) continue;
    const ids = idsByType.get(event.resourceType) ?? new Set<string>();
    idsByType.set(event.resourceType, ids.add(event.id));
  }
  const plans = await readAll(deps.repository, 'CarePlan', [...(idsByType.get('CarePlan') ?? [])]);
  idsByType.delete('CarePlan');
  const visits = idsByType.get('Appointment') ?? new Set<string>();
  // The visits a changed plan schedules now, and those it scheduled when their facts were kept.
  for (const { resource } of plans)
    if (resource?.resourceType === 'CarePlan')
      for (const visit of plannedVisitsOf(resource)) visits.add(visit);
  const links = plans.map((plan) => plan.id);
  for (const visit of await readKpiFactsLinkedTo(deps.db, { kind: carePlanVisitKpi, links }))
    visits.add(visit);
  if (visits.size > 0) idsByType.set('Appointment', visits);
  const changed = (
    await Promise.all(
      [...idsByType].map(([resourceType, ids]) => readAll(deps.repository, resourceType, [...ids])),
    )
  ).flat();
  const plannedBy = await plansOf(
    deps.repository,
    changed.filter((each) => each.resourceType === 'Appointment'),
  );
  await replaceKpiFacts(
    deps.db,
    changed.map(({ resourceType, id, resource }) => ({
      source: { resourceType, id },
      facts: resource ? factsOfResource(resource, { plannedBy }) : [],
    })),
    // A patient's fills, chronic prescriptions or exclusions changed: their adherence runs too.
    derivedAdherence(),
  );
}

/** Each resource as it is now, a search of ids at a time. */
async function readAll(repository: FhirRepository, resourceType: string, ids: string[]) {
  const found = await Promise.all(
    chunks(ids, idsPerSearch).map((chunk) => readCurrent(repository, resourceType, chunk)),
  );
  return found.flat();
}

/** The plan in force (the first by id) that schedules each visit, by `CarePlan?activity-reference`. */
async function plansOf(repository: FhirRepository, visits: { id: string }[]): Promise<Map<string, string>> {
  const plannedBy = new Map<string, string>();
  for (const chunk of chunks(
    visits.map((visit) => visit.id),
    idsPerSearch,
  )) {
    const references = chunk.map((id) => `Appointment/${id}`).join(',');
    const bundle = await repository.search({
      resourceType: 'CarePlan',
      params: [
        ['activity-reference', references],
        ['_count', '1000'],
      ],
    });
    const plans = (bundle.entry ?? []).flatMap((entry) => (entry.resource as CarePlan | undefined) ?? []);
    for (const plan of plans.sort((a, b) => (a.id! < b.id! ? -1 : 1)))
      for (const visit of plannedVisitsOf(plan)) if (!plannedBy.has(visit)) plannedBy.set(visit, plan.id!);
  }
  return plannedBy;
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
