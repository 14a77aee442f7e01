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
export async function readKpiFigures(db: SqlExecutor, query: KpiFactQuery): Promise<KpiFactSums[]> {
  const result = await db.query<SumRow>(
    `${resolvedFactsSql}
     SELECT kpi, bucket, grp, GROUPING(grp) AS whole, count(*) AS members,
       count(*) FILTER (WHERE numerator) AS in_numerator,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY days) AS lo,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY days DESC) AS hi
     FROM bucketed GROUP BY GROUPING SETS ((kpi, bucket), (kpi, bucket, grp))`,
    resolvedFactsParams(query),
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

/** The distinct patients behind one KPI's bucket: its numerator's, or its whole denominator's, optionally of one group. */
export async function readKpiFactPatients(
  db: SqlExecutor,
  query: KpiFactQuery & { bucket: string; set: 'numerator' | 'denominator'; group?: string },
): Promise<string[]> {
  const result = await db.query<{ patient: string }>(
    `${resolvedFactsSql}
     SELECT DISTINCT patient FROM bucketed
     WHERE bucket = $10 AND patient IS NOT NULL AND ($11::boolean OR numerator) AND ($12::text IS NULL OR grp = $12)`,
    [...resolvedFactsParams(query), query.bucket, query.set === 'denominator', query.group ?? null],
  );
  return result.rows.map((row) => row.patient);
}
