import type { SqlExecutor } from '../sql/database.ts';
import type { KpiFactRow } from './kpi-fact-rows.ts';

/** A kept fact as read back, with the resource it was kept for. */
export interface KeptKpiFact extends KpiFactRow {
  sourceId: string;
}

interface FactRow {
  source_id: string;
  kind: string;
  at: Date | string | null;
  patient: string | null;
  numerator: boolean;
  grp: string | null;
  days: number | null;
  practitioner: string | null;
  link: string | null;
}

/**
 * The kept facts of some kinds as they are, for a KPI the analytics module computes from them
 * itself (chronic-care adherence joins each patient's fills over a year): the undated ones
 * always, the dated ones from `since` (inclusive ISO instant) to `until` (exclusive), by the
 * `(kind, at)` index.
 */
export async function readKpiFactRows(
  db: SqlExecutor,
  query: { kinds: string[]; since: string; until: string },
): Promise<KeptKpiFact[]> {
  const result = await db.query<FactRow>(
    `SELECT source_id, kind, at, patient, numerator, grp, days, practitioner, link FROM kpi_fact
     WHERE kind = ANY($1::text[]) AND (at IS NULL OR (at >= $2::timestamptz AND at < $3::timestamptz))`,
    [query.kinds, query.since, query.until],
  );
  return result.rows.map((row) => ({
    sourceId: row.source_id,
    kind: row.kind,
    numerator: row.numerator,
    ...(row.at === null ? {} : { at: new Date(row.at).toISOString() }),
    ...(row.patient === null ? {} : { patient: row.patient }),
    ...(row.grp === null ? {} : { group: row.grp }),
    ...(row.days === null ? {} : { days: Number(row.days) }),
    ...(row.practitioner === null ? {} : { practitioner: row.practitioner }),
    ...(row.link === null ? {} : { link: row.link }),
  }));
}
