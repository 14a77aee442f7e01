import { ThroughlineError } from '../../kernel/errors.ts';
import {
  readKpiFactPatients,
  readKpiFigures,
  readKpiRunPatients,
  readKpiSums,
  type KpiFactQuery,
  type KpiFactSums,
  type KpiSumQuery,
  type SqlDatabase,
  type SqlExecutor,
} from '../../store/index.ts';
import { adherenceFromFacts } from './adherence-from-facts.ts';
import { adherenceKpi, rollingPeriods } from './adherence-kpis.ts';
import { keepAdherenceTo } from './adherence-runs.ts';
import { aggregateKpis, figureOf, figureOfSums, type Figure, type KpiResult } from './aggregate-kpis.ts';
import { kpiDefinitions } from './compute-kpis.ts';
import { applicableKpis, filterLinks, type KpiFilters } from './kpi-filters.ts';
import { bucketOf, bucketsOf, type KpiWindow } from './kpi-period.ts';
import type { KpiDefinition } from './kpi-model.ts';
import type { MeasurePeriod } from './evaluate-measure.ts';

const mediansOf = (definitions: KpiDefinition[]) =>
  definitions.filter((kpi) => kpi.kind === 'median').map((kpi) => kpi.id);

/** The KPIs a cohort's answer sums from its facts (adherence is measured apart, `computedKpis`). */
const summed = (definitions: KpiDefinition[]) => definitions.filter((kpi) => kpi.id !== adherenceKpi);

const empty = { members: 0, inNumerator: 0, middle: null };

/** What a KPI answer is asked for: a window, "now", filters, and a cohort's records (patient ids). */
interface KpiAsk {
  window: KpiWindow;
  now: Date;
  filters?: KpiFilters;
  cohort?: string[];
}

/** The store's query for the facts of a window's buckets. */
function factQuery(definitions: KpiDefinition[], input: KpiAsk): KpiFactQuery {
  const { window, now, filters = {} } = input;
  return {
    kpis: definitions.map((kpi) => kpi.id),
    medians: mediansOf(definitions),
    start: `${bucketOf(window.from, window.period).start}T00:00:00.000Z`,
    end: `${bucketOf(window.to, window.period).end}T00:00:00.000Z`,
    now: now.toISOString(),
    period: window.period,
    ...filters,
    ...(input.cohort ? { patients: input.cohort } : {}),
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
 * the full read (`computeKpis`). A cohort has no sums: its records' facts of the window are
 * summed when asked (by the `patient` index: it grows with the cohort, not the clinic).
 */
export async function kpisFromFacts(db: SqlDatabase, input: KpiAsk): Promise<KpiResult[]> {
  const definitions = applicableKpis(kpiDefinitions(), input.filters ?? {});
  const adherence = definitions.some((kpi) => kpi.id === adherenceKpi);
  if (adherence && !input.cohort) await keepAdherenceTo(db, input.now);
  const sums = input.cohort
    ? await readKpiFigures(db, factQuery(summed(definitions), input))
    : await readKpiSums(db, sumQuery(definitions, input));
  const byKey = byKpiAndBucket(sums);
  const { window } = input;
  const kept = filterLinks(input.filters ?? {});
  const computed = await computedKpis(db, definitions, input);
  return definitions.map(
    (definition) =>
      computed.get(definition.id) ?? {
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
              ? {
                  groups: Object.fromEntries(groups.map((g) => [g.group!, figureOfSums(definition.kind, g)])),
                }
              : {}),
            patients: `/api/analytics/kpis/${definition.id}/patients?${query}${kept}`,
          };
        }),
      },
  );
}

/** The sums by KPI and bucket: the whole figure's, and each group's. */
function byKpiAndBucket(sums: KpiFactSums[]) {
  const byKey = new Map<string, { whole?: KpiFactSums; groups: KpiFactSums[] }>();
  for (const each of sums) {
    const key = `${each.kpi} ${each.bucket}`;
    const entry = byKey.get(key) ?? { groups: [] };
    if (each.group === undefined) entry.whole = each;
    else entry.groups.push(each);
    byKey.set(key, entry);
  }
  return byKey;
}

/**
 * The KPIs computed from kept facts when asked for, not from sums: chronic-care adherence of a
 * cohort (a year of each patient's fills up to each bucket's end), by id.
 */
async function computedKpis(
  db: SqlExecutor,
  definitions: KpiDefinition[],
  input: KpiAsk,
): Promise<Map<string, KpiResult>> {
  const adherence = definitions.filter((kpi) => kpi.id === adherenceKpi);
  // A cohort has no sums: its adherence is measured from its records' kept fills.
  if (adherence.length === 0 || !input.cohort) return new Map();
  const periods = rollingPeriods(input.window, input.now);
  const facts = await adherenceFromFacts(db, { periods, filters: input.filters, cohort: input.cohort });
  const kept = filterLinks(input.filters ?? {});
  const results = aggregateKpis(adherence, facts, input.window).map((kpi) => ({
    ...kpi,
    buckets: kpi.buckets.map((bucket) => ({ ...bucket, patients: bucket.patients + kept })),
  }));
  return new Map(results.map((kpi) => [kpi.id, kpi]));
}

/** The patients behind one figure (sorted ids); an unknown KPI, or one the filters leave out, is NOT_FOUND. */
export async function patientsFromFacts(
  db: SqlDatabase,
  input: KpiAsk & { kpi: string; filters: KpiFilters; set: 'numerator' | 'denominator'; group?: string },
): Promise<string[]> {
  const definition = applicableKpis(kpiDefinitions(), input.filters).find((kpi) => kpi.id === input.kpi);
  if (!definition) throw new ThroughlineError('NOT_FOUND', `No KPI ${input.kpi}`);
  const bucket = bucketOf(input.window.from, input.window.period).key;
  if (definition.id === adherenceKpi) return adherencePatients(db, { ...input, bucket });
  const query = { ...factQuery([definition], input), bucket, set: input.set, group: input.group };
  return (await readKpiFactPatients(db, query)).sort();
}

/**
 * The patients behind one adherence figure: its pairs' (numerator: those covered ≥ 80%), of one
 * drug when a group is given — from the kept runs, or for a cohort measured from its fills.
 */
async function adherencePatients(
  db: SqlDatabase,
  input: Parameters<typeof patientsFromFacts>[1] & { bucket: string },
): Promise<string[]> {
  if (!input.cohort) {
    await keepAdherenceTo(db, input.now);
    const bucket = bucketOf(input.window.from, input.window.period);
    const ids = await readKpiRunPatients(db, {
      kind: adherenceKpi,
      period: input.window.period,
      start: `${bucket.start}T00:00:00.000Z`,
      ...(input.set === 'numerator' ? { numerator: true } : {}),
      group: input.group,
      practitioner: input.filters.practitioner,
    });
    return ids.sort();
  }
  const periods = rollingPeriods(input.window, input.now);
  const facts = await adherenceFromFacts(db, { periods, filters: input.filters, cohort: input.cohort });
  const ids = facts
    .filter((fact) => (input.set === 'numerator' ? fact.inNumerator : true))
    .filter((fact) => input.group === undefined || fact.group === input.group)
    .flatMap((fact) => (fact.patient ? [fact.patient] : []));
  return [...new Set(ids)].sort();
}

/** One KPI over a measurement period (end day included), for `$evaluate-measure`. */
export async function measureFromFacts(
  db: SqlDatabase,
  input: { kpi: string; period: MeasurePeriod; now: Date },
): Promise<{ definition: KpiDefinition; figure: Figure }> {
  const definition = kpiDefinitions().find((kpi) => kpi.id === input.kpi);
  if (!definition) throw new ThroughlineError('NOT_FOUND', `No Measure ${input.kpi}`);
  if (definition.id === adherenceKpi) {
    // PQA's own form: the measurement period is the one asked for.
    const period = { key: 'all', start: input.period.periodStart, end: input.period.periodEnd };
    return { definition, figure: figureOf('rate', await adherenceFromFacts(db, { periods: [period] })) };
  }
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
