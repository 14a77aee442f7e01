import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { pagesOf } from '../export/stream-resources.ts';
import { adherenceKpis } from './adherence-kpis.ts';
import { aggregateKpis, type KpiResult } from './aggregate-kpis.ts';
import { filterKpiFacts, filterLinks, type KpiFilters } from './kpi-filters.ts';
import { appointmentKpis } from './appointment-kpis.ts';
import { carePlanVisitKpis } from './care-plan-visit-kpis.ts';
import { cleanDataKpis } from './clean-data-kpis.ts';
import { followUpKpis } from './follow-up-kpis.ts';
import { identityKpis } from './identity-kpis.ts';
import { bucketOf, type KpiWindow } from './kpi-period.ts';
import type { Fact, KpiCollector, KpiDefinition } from './kpi-model.ts';
import { reminderKpis } from './reminder-kpis.ts';
import { stageCollector, withStages } from './journey-stages.ts';
import { satisfactionKpis, stageGroupedKpis } from './satisfaction-kpis.ts';

/** Every area's collector, in the order the KPIs are listed. */
const collectors = (): KpiCollector[] => [
  identityKpis(),
  cleanDataKpis(),
  reminderKpis(),
  appointmentKpis(),
  followUpKpis(),
  satisfactionKpis(),
  adherenceKpis(),
  carePlanVisitKpis(),
];

/** Every KPI's definition, in the order they are listed. */
export const kpiDefinitions = (): KpiDefinition[] => collectors().flatMap((area) => area.kpis);

export interface KpiFacts {
  definitions: KpiDefinition[];
  facts: Fact[];
}

/**
 * Reads each type the KPIs need once, a page at a time (keyset paging through the given
 * store), hands every resource to the areas that want it, and keeps the facts of the window.
 */
export async function collectKpiFacts(
  repository: FhirRepository,
  input: { window: KpiWindow; now: Date; signal?: AbortSignal },
): Promise<KpiFacts> {
  const areas = collectors();
  const stages = stageCollector();
  const signal = input.signal ?? new AbortController().signal;
  for (const type of [...new Set([...areas.flatMap((area) => area.types), ...stages.types])]) {
    const wanting = [...areas, stages].filter((area) => area.types.includes(type));
    for await (const page of pagesOf(repository, { resourceType: type, params: [] }, signal))
      for (const row of page) {
        const resource = JSON.parse(row.content) as Resource;
        for (const area of wanting) area.add(resource);
      }
  }
  const { from, to, period } = input.window;
  const first = timeOf(bucketOf(from, period).start);
  const end = timeOf(bucketOf(to, period).end);
  const facts = areas
    .flatMap((area) => area.facts(input.now, input.window))
    .filter((fact) => {
      const at = timeOf(fact.at);
      return at >= first && at < end;
    });
  const staged = withStages(facts, { stagesAt: stages.stagesAt, stageGrouped: stageGroupedKpis });
  return { definitions: areas.flatMap((area) => area.kpis), facts: staged };
}

/** A date is its day's start in UTC; an unparseable one is NaN and falls outside every window. */
const timeOf = (at: string) => Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at);

/**
 * The KPIs of a window, per bucket, by reading every resource (the reference computation the
 * kept facts are checked against: `kpisFromFacts` answers requests); with filters, those they apply to, and drill-downs that keep them. */
export async function computeKpis(
  repository: FhirRepository,
  input: { window: KpiWindow; now: Date; filters?: KpiFilters; cohort?: string[] },
): Promise<KpiResult[]> {
  const filters = input.filters ?? {};
  const collected = await collectKpiFacts(repository, input);
  const { definitions, facts } = filterKpiFacts(collected, filters, input.cohort);
  const kept = filterLinks(filters);
  return aggregateKpis(definitions, facts, input.window).map((kpi) => ({
    ...kpi,
    buckets: kpi.buckets.map((bucket) => ({ ...bucket, patients: bucket.patients + kept })),
  }));
}

/** The patients behind one KPI figure: the numerator's (default) or the denominator's, optionally of one group. */
export function patientsBehind(
  collected: KpiFacts,
  select: {
    kpi: string;
    bucket: string;
    period: KpiWindow['period'];
    set: 'numerator' | 'denominator';
    group?: string;
  },
): string[] {
  const ids = collected.facts
    .filter((fact) => fact.kpi === select.kpi && bucketOf(fact.at, select.period).key === select.bucket)
    .filter((fact) => (select.set === 'numerator' ? fact.inNumerator : true))
    .filter((fact) => select.group === undefined || fact.group === select.group)
    .flatMap((fact) => (fact.patient ? [fact.patient] : []));
  return [...new Set(ids)].sort();
}
