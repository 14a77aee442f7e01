import { ThroughlineError } from '../../kernel/errors.ts';
import {
  readKpiFactPatients,
  readKpiFigures,
  readKpiSums,
  type KpiFactQuery,
  type KpiFactSums,
  type KpiSumQuery,
  type SqlDatabase,
  type SqlExecutor,
} from '../../store/index.ts';
import { figureOfSums, type Figure, type KpiResult } from './aggregate-kpis.ts';
import { kpiDefinitions } from './compute-kpis.ts';
import { applicableKpis, filterLinks, type KpiFilters } from './kpi-filters.ts';
import { bucketOf, bucketsOf, type KpiWindow } from './kpi-period.ts';
import type { KpiDefinition } from './kpi-model.ts';
import type { MeasurePeriod } from './evaluate-measure.ts';

const mediansOf = (definitions: KpiDefinition[]) =>
  definitions.filter((kpi) => kpi.kind === 'median').map((kpi) => kpi.id);

const empty = { members: 0, inNumerator: 0, middle: null };

/** The store's query for the facts of a window's buckets. */
function factQuery(
  definitions: KpiDefinition[],
  input: { window: KpiWindow; now: Date; filters?: KpiFilters },
): KpiFactQuery {
  const { window, now, filters = {} } = input;
  return {
    kpis: definitions.map((kpi) => kpi.id),
    medians: mediansOf(definitions),
    start: `${bucketOf(window.from, window.period).start}T00:00:00.000Z`,
    end: `${bucketOf(window.to, window.period).end}T00:00:00.000Z`,
    now: now.toISOString(),
    period: window.period,
    ...filters,
  };
}

/** The window's buckets and where today's snapshot figures go, for the kept sums. */
function sumQuery(
  definitions: KpiDefinition[],
  input: { window: KpiWindow; now: Date; filters?: KpiFilters },
): KpiSumQuery {
  const { window, now, filters = {} } = input;
  const buckets = bucketsOf(window).map((bucket) => ({
    key: bucket.key,
    start: `${bucket.start}T00:00:00.000Z`,
    end: `${bucket.end}T00:00:00.000Z`,
  }));
  const today = bucketOf(now.toISOString(), window.period).key;
  return {
    kpis: definitions.map((kpi) => kpi.id),
    medians: mediansOf(definitions),
    period: window.period,
    buckets,
    ...(buckets.some((bucket) => bucket.key === today) ? { today } : {}),
    now: now.toISOString(),
    ...filters,
  };
}

/**
 * The KPIs of a window from the sums the reactions keep beside the facts (`keep-kpi-facts.ts`,
 * `kpi_sum`): a few rows per KPI, bucket and group however large the clinic, the same answer as
 * the full read (`computeKpis`).
 */
export async function kpisFromFacts(
  db: SqlDatabase,
  input: { window: KpiWindow; now: Date; filters?: KpiFilters },
): Promise<KpiResult[]> {
  const definitions = applicableKpis(kpiDefinitions(), input.filters ?? {});
  const sums = await readKpiSums(db, sumQuery(definitions, input));
  const byKey = new Map<string, { whole?: KpiFactSums; groups: KpiFactSums[] }>();
  for (const each of sums) {
    const key = `${each.kpi} ${each.bucket}`;
    const entry = byKey.get(key) ?? { groups: [] };
    if (each.group === undefined) entry.whole = each;
    else entry.groups.push(each);
    byKey.set(key, entry);
  }
  const { window } = input;
  const kept = filterLinks(input.filters ?? {});
  return definitions.map((definition) => ({
    ...definition,
    buckets: bucketsOf(window).map((bucket) => {
      const entry = byKey.get(`${definition.id} ${bucket.key}`);
      const groups = (entry?.groups ?? []).sort((a, b) => (a.group! < b.group! ? -1 : 1));
      const query = `period=${window.period}&bucket=${bucket.key}`;
      return {
        bucket: bucket.key,
        start: bucket.start,
        end: bucket.end,
        ...figureOfSums(definition.kind, entry?.whole ?? empty),
        ...(groups.length > 0
          ? { groups: Object.fromEntries(groups.map((g) => [g.group!, figureOfSums(definition.kind, g)])) }
          : {}),
        patients: `/api/analytics/kpis/${definition.id}/patients?${query}${kept}`,
      };
    }),
  }));
}

/** The patients behind one figure (sorted ids); an unknown KPI, or one the filters leave out, is NOT_FOUND. */
export async function patientsFromFacts(
  db: SqlExecutor,
  input: {
    kpi: string;
    window: KpiWindow;
    now: Date;
    filters: KpiFilters;
    set: 'numerator' | 'denominator';
    group?: string;
  },
): Promise<string[]> {
  const definition = applicableKpis(kpiDefinitions(), input.filters).find((kpi) => kpi.id === input.kpi);
  if (!definition) throw new ThroughlineError('NOT_FOUND', `No KPI ${input.kpi}`);
  const bucket = bucketOf(input.window.from, input.window.period).key;
  const query = { ...factQuery([definition], input), bucket, set: input.set, group: input.group };
  return (await readKpiFactPatients(db, query)).sort();
}

/** One KPI over a measurement period (end day included), for `$evaluate-measure`. */
export async function measureFromFacts(
  db: SqlDatabase,
  input: { kpi: string; period: MeasurePeriod; now: Date },
): Promise<{ definition: KpiDefinition; figure: Figure }> {
  const definition = kpiDefinitions().find((kpi) => kpi.id === input.kpi);
  if (!definition) throw new ThroughlineError('NOT_FOUND', `No Measure ${input.kpi}`);
  const end = new Date(Date.parse(`${input.period.periodEnd}T00:00:00Z`) + 86_400_000).toISOString();
  const sums = await readKpiFigures(db, {
    kpis: [definition.id],
    medians: mediansOf([definition]),
    start: `${input.period.periodStart}T00:00:00.000Z`,
    end,
    now: input.now.toISOString(),
    period: 'all',
  });
  const whole = sums.find((each) => each.group === undefined);
  return { definition, figure: figureOfSums(definition.kind, whole ?? empty) };
}
