import type { SqlExecutor } from '../sql/database.ts';
import type { KpiFactRow } from './kpi-fact-rows.ts';

/** A kept fact as read back, with the resource it was kept for. */
export interface KeptKpiFact extends KpiFactRow {
  sourceId: string;
}

interface FactRow {
  source_id: string;
  kind: string;
  at: string | null;
  patient: string | null;
  numerator: boolean;
  grp: string | null;
  days: number | null;
  practitioner: string | null;
  link: string | null;
  until: string | null;
}

/**
 * The kept facts of some kinds as they are, for a KPI the analytics module computes from them
 * itself (chronic-care adherence joins each patient's fills over a year): the undated ones
 * always, the dated ones from `since` (inclusive ISO instant) to `until` (exclusive), by the
 * `(kind, at)` index — or, given `patients`, only theirs, by the `(patient, kind)` index.
 */
export async function readKpiFactRows(
  db: SqlExecutor,
  query: { kinds: string[]; since: string; until: string; patients?: string[] },
): Promise<KeptKpiFact[]> {
  const { kinds, since, until, patients } = query;
  const result = await db.query<FactRow>(
    // `at` as ISO text made by the database: parsing ~1M timestamps into Dates in Node cost more.
    `SELECT source_id, kind, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, patient, numerator, grp, days, practitioner, link,
       to_char(until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS until FROM kpi_fact
     WHERE kind = ANY($1::text[]) AND (at IS NULL OR (at >= $2::timestamptz AND at < $3::timestamptz))
     ${patients ? 'AND patient = ANY($4::text[])' : ''}`,
    patients ? [kinds, since, until, patients] : [kinds, since, until],
  );
  return result.rows.map(keptFactOf);
}

/** A row as a kept fact, its absent columns left out (assigned, not spread: ~1M rows at 100k patients). */
function keptFactOf(row: FactRow): KeptKpiFact {
  const fact: KeptKpiFact = { sourceId: row.source_id, kind: row.kind, numerator: row.numerator };
  if (row.at !== null) fact.at = row.at;
  if (row.patient !== null) fact.patient = row.patient;
  if (row.grp !== null) fact.group = row.grp;
  if (row.days !== null) fact.days = Number(row.days);
  if (row.practitioner !== null) fact.practitioner = row.practitioner;
  if (row.link !== null) fact.link = row.link;
  if (row.until !== null) fact.until = row.until;
  return fact;
}
