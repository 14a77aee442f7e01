import type { SqlDatabase } from '../sql/database.ts';
import type { SqlExecutor } from '../sql/database.ts';
import { resolvedFactsParams, resolvedFactsSql, type KpiFactQuery } from './resolved-facts-sql.ts';

/**
 * One KPI's sums in one bucket, overall (`group` absent) or for one group. `middle` holds the
 * two middle `days` (equal when their count is odd): the median is their mean.
 */
export interface KpiFactSums {
  kpi: string;
  bucket: string;
  group?: string;
  members: number;
  inNumerator: number;
  middle: [number, number] | null;
}

interface SumRow {
  kpi: string;
  bucket: string;
  grp: string | null;
  whole: number;
  members: string;
  in_numerator: string;
  lo: number | null;
  hi: number | null;
}

/** Per KPI and bucket (and per group within them): how many facts, how many in the numerator, the middle days. */
export async function readKpiFigures(db: SqlDatabase, query: KpiFactQuery): Promise<KpiFactSums[]> {
  // Counts are hashed; only the median KPIs' facts are sorted for their middle values.
  const result = await withoutJit(db, (tx) =>
    tx.query<SumRow>(
      `${resolvedFactsSql}
       SELECT kpi, bucket, grp, GROUPING(grp) AS whole, count(*) AS members,
         count(*) FILTER (WHERE numerator) AS in_numerator, NULL::float8 AS lo, NULL::float8 AS hi
       FROM bucketed WHERE kpi <> ALL($13::text[]) GROUP BY GROUPING SETS ((kpi, bucket), (kpi, bucket, grp))
       UNION ALL
       SELECT kpi, bucket, grp, GROUPING(grp), count(*), count(*) FILTER (WHERE numerator),
         percentile_disc(0.5) WITHIN GROUP (ORDER BY days), percentile_disc(0.5) WITHIN GROUP (ORDER BY days DESC)
       FROM bucketed WHERE kpi = ANY($13::text[]) GROUP BY GROUPING SETS ((kpi, bucket), (kpi, bucket, grp))`,
      [...resolvedFactsParams(query), query.medians],
    ),
  );
  // Facts without a group belong to no breakdown.
  return result.rows
    .filter((row) => Number(row.whole) === 1 || row.grp !== null)
    .map((row) => ({
      kpi: row.kpi,
      bucket: row.bucket,
      ...(Number(row.whole) === 1 ? {} : { group: row.grp! }),
      members: Number(row.members),
      inNumerator: Number(row.in_numerator),
      middle: row.lo === null || row.hi === null ? null : [Number(row.lo), Number(row.hi)],
    }));
}

/**
 * A KPI answer is one short statement over many rows: compiling it (PostgreSQL's JIT, chosen by
 * cost) took longer than running it (175 of 600 ms on the demo clinic), so it is off for it.
 */
function withoutJit<T>(db: SqlDatabase, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return work(tx);
  });
}

/** The distinct patients behind one KPI's bucket: its numerator's, or its whole denominator's, optionally of one group. */
export async function readKpiFactPatients(
  db: SqlExecutor,
  query: KpiFactQuery & { bucket: string; set: 'numerator' | 'denominator'; group?: string },
): Promise<string[]> {
  const result = await db.query<{ patient: string }>(
    `${resolvedFactsSql}
     SELECT DISTINCT patient FROM bucketed
     WHERE bucket = $13 AND patient IS NOT NULL AND ($14::boolean OR numerator) AND ($15::text IS NULL OR grp = $15)`,
    [...resolvedFactsParams(query), query.bucket, query.set === 'denominator', query.group ?? null],
  );
  return result.rows.map((row) => row.patient);
}
