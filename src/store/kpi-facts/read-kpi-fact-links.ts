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
