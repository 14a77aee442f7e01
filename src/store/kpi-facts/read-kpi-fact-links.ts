import type { SqlExecutor } from '../sql/database.ts';

/**
 * The resources (ids) whose kept facts of a kind link to any of the given ids — the visits a
 * care plan scheduled when its facts were kept — by the `(kind, link)` index.
 */
export async function readKpiFactsLinkedTo(
  db: SqlExecutor,
  query: { kind: string; links: string[] },
): Promise<string[]> {
  if (query.links.length === 0) return [];
  const result = await db.query<{ source_id: string }>(
    'SELECT DISTINCT source_id FROM kpi_fact WHERE kind = $1 AND link = ANY($2::text[])',
    [query.kind, query.links],
  );
  return result.rows.map((row) => row.source_id);
}

/**
 * The patients (ids) of the run facts of a kind (`runKinds`) that count in one bucket: of
 * its period (`link`), from a bucket starting at or before it to one ending after its start;
 * only those in the numerator when asked, of one group, of one practitioner.
 */
export async function readKpiRunPatients(
  db: SqlExecutor,
  query: {
    kind: string;
    period: string;
    start: string;
    numerator?: boolean;
    group?: string;
    practitioner?: string;
  },
): Promise<string[]> {
  const result = await db.query<{ patient: string }>(
    `SELECT DISTINCT patient FROM kpi_fact
     WHERE kind = $1 AND link = $2 AND at <= $3::timestamptz AND until > $3::timestamptz AND patient IS NOT NULL
       AND ($4::boolean IS NULL OR numerator = $4) AND ($5::text IS NULL OR grp = $5)
       AND ($6::text IS NULL OR practitioner = $6)`,
    [
      query.kind,
      query.period,
      query.start,
      query.numerator ?? null,
      query.group ?? null,
      query.practitioner ?? null,
    ],
  );
  return result.rows.map((row) => row.patient);
}
