import type { SqlExecutor } from '../sql/database.ts';
import type { KpiFactSums } from './read-kpi-figures.ts';
import { middleLookupSql, sumsSql } from './read-kpi-sums-sql.ts';

/** A KPI answer read from the kept sums: its KPIs, buckets, "now" and filters. */
export interface KpiSumQuery {
  kpis: string[];
  /** The KPIs whose figure is a median (the others need only counts). */
  medians: string[];
  period: 'month' | 'week';
  /** The window's buckets; `start` inclusive, `end` exclusive (ISO instants). */
  buckets: { key: string; start: string; end: string }[];
  /** The key of the bucket today falls in, when it is in the window: snapshot figures go there. */
  today?: string;
  now: string;
  location?: string;
  practitioner?: string;
  channel?: string;
  journey?: string;
  stage?: string;
}

interface SumRow {
  kpi: string;
  bucket: string;
  grp: string;
  whole: number;
  snapshot: boolean;
  bin: number;
  members: string;
  in_numerator: string;
}

/** One figure's sums as read, and how its members spread over median bins. */
interface Gathered extends KpiFactSums {
  snapshot: boolean;
  bins: [bin: number, members: number][];
}

/**
 * Per KPI and bucket (and per group within them) from `kpi_sum`: how many members, how many in
 * the numerator, and for a median its two middle values — found by counting through the bins,
 * then reading the exact values of the one or two bins they fall in. What it reads depends on
 * the number of buckets, groups and filter values, not on the number of facts.
 */
export async function readKpiSums(db: SqlExecutor, query: KpiSumQuery): Promise<KpiFactSums[]> {
  const result = await db.query<SumRow>(sumsSql, [
    query.kpis,
    query.period,
    query.today ?? null,
    query.buckets.map((bucket) => bucket.key),
    query.location ?? null,
    query.practitioner ?? null,
    query.channel ?? null,
    query.journey ?? null,
    query.stage ?? null,
  ]);
  const figures = gather(result.rows);
  const medians = [...figures.values()].filter((f) => query.medians.includes(f.kpi) && f.members > 0);
  await readMiddles(db, query, medians);
  return [...figures.values()].map(({ kpi, bucket, group, members, inNumerator, middle }) => ({
    kpi,
    bucket,
    ...(group === undefined ? {} : { group }),
    members,
    inNumerator,
    middle,
  }));
}

/** The bin rows summed into one figure per KPI, bucket and group (facts without a group belong to no breakdown). */
function gather(rows: SumRow[]): Map<string, Gathered> {
  const figures = new Map<string, Gathered>();
  for (const row of rows) {
    const whole = Number(row.whole) === 1;
    if (!whole && row.grp === '') continue;
    const key = `${row.kpi} ${row.bucket} ${whole ? '' : `g:${row.grp}`}`;
    const group = whole ? undefined : row.grp;
    const figure = figures.get(key) ?? {
      ...{ kpi: row.kpi, bucket: row.bucket, group, snapshot: row.snapshot },
      ...{ members: 0, inNumerator: 0, middle: null, bins: [] },
    };
    figure.members += Number(row.members);
    figure.inNumerator += Number(row.in_numerator);
    figure.bins.push([Number(row.bin), Number(row.members)]);
    figures.set(key, figure);
  }
  return figures;
}

/** One read of sorted values: `take` of them after `skip`, in one bin of one figure's facts. */
interface Lookup {
  i: number;
  kind: string;
  snapshot: boolean;
  start: string | null;
  end: string | null;
  bin: number;
  grp: string | null;
  skip: number;
  take: number;
}

/** Fills in each median figure's two middle values (positions ⌊(n−1)/2⌋ and ⌊n/2⌋ in ascending order). */
async function readMiddles(db: SqlExecutor, query: KpiSumQuery, figures: Gathered[]): Promise<void> {
  if (figures.length === 0) return;
  const bucketOf = new Map(query.buckets.map((bucket) => [bucket.key, bucket]));
  const lookups: Lookup[] = [];
  const owners: Gathered[] = [];
  for (const figure of figures) {
    const bucket = bucketOf.get(figure.bucket);
    const n = figure.members;
    for (const part of positionsIn(figure, [Math.floor((n - 1) / 2), Math.floor(n / 2)])) {
      const { kpi: kind, snapshot, group } = figure;
      const range = { start: bucket?.start ?? null, end: bucket?.end ?? null };
      lookups.push({ i: lookups.length, kind, snapshot, ...range, grp: group ?? null, ...part });
      owners.push(figure);
    }
  }
  const result = await db.query<{ i: number; days: number }>(middleLookupSql, [
    JSON.stringify(lookups),
    query.location ?? null,
    query.practitioner ?? null,
    query.channel ?? null,
    Date.parse(query.now),
    query.journey ?? null,
    query.stage ?? null,
  ]);
  const values = new Map<Gathered, number[]>();
  for (const row of result.rows) {
    const owner = owners[Number(row.i)]!;
    values.set(owner, [...(values.get(owner) ?? []), Number(row.days)]);
  }
  for (const [figure, found] of values) figure.middle = [found[0]!, found[found.length - 1]!];
}

/**
 * Where the values at two ascending positions lie: the bin and the offset within it (one read
 * when both fall in the same bin). A snapshot's values (ages to now) are read from its facts in
 * one piece, ordered by age.
 */
function positionsIn(
  figure: Gathered,
  [low, high]: [number, number],
): { bin: number; skip: number; take: number }[] {
  if (figure.snapshot) return [{ bin: 0, skip: low, take: high - low + 1 }];
  const bins = [...figure.bins].sort((a, b) => a[0] - b[0]);
  const locate = (position: number) => {
    let before = 0;
    for (const [bin, members] of bins) {
      if (position < before + members) return { bin, skip: position - before };
      before += members;
    }
    throw new Error(`KPI sums: position ${position} beyond ${before} members`);
  };
  const first = locate(low);
  const second = locate(high);
  if (first.bin === second.bin) return [{ ...first, take: second.skip - first.skip + 1 }];
  return [
    { ...first, take: 1 },
    { ...second, take: 1 },
  ];
}
