import type { Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import { columnCounts, extractIndexRows, type IndexColumns } from './extract-index-rows.ts';
import type { IndexTable } from './search-params.ts';
import { runParts, type StatementParts } from '../sql/statement-parts.ts';

const tables: IndexTable[] = ['token', 'string', 'date', 'number', 'reference'];

const columnTypes: Record<IndexTable, string[]> = {
  token: ['text', 'text', 'text', 'text', 'text', 'text'],
  string: ['text', 'text', 'text', 'text', 'text'],
  date: ['text', 'text', 'text', 'timestamptz', 'timestamptz'],
  number: ['text', 'text', 'text', 'numeric', 'numeric', 'text', 'text', 'text'],
  reference: ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
};

/**
 * Deletes the rows of the keys in CTE `k` by probing the (resource_type, id, code) index once
 * per key. A plain `DELETE … USING k` lets the planner pick a merge join over a sorted seq scan
 * of the whole table when statistics are stale (during a bulk import they always are): that
 * made indexing 2.4× slower. `OFFSET 0` keeps the per-key subquery from being flattened.
 */
function deleteKeys(table: IndexTable, keys = 'k'): string {
  return `DELETE FROM search_${table} WHERE ctid = ANY(ARRAY(
    SELECT s.ctid FROM ${keys} k, LATERAL (SELECT ctid FROM search_${table} s
      WHERE s.resource_type = k.resource_type AND s.id = k.id OFFSET 0) s))`;
}

const deleteSql = `WITH k AS (SELECT $1::text AS resource_type, unnest($2::text[]) AS id),
${tables.map((table) => `d_${table} AS (${deleteKeys(table)})`).join(',\n')}
SELECT 1`;

/**
 * Replaces the search-index rows of each given resource (current version). Called by the write
 * path inside its transaction, possibly with hundreds of resources (bulk import).
 *
 * A resource at `meta.versionId` "1" is a first version — the write path numbers versions on
 * from any earlier row, deleted or not — so it has no old rows and skips the delete: a bulk
 * import of new resources only inserts.
 */
export async function indexResources(tx: SqlExecutor, resources: Resource[]): Promise<void> {
  await runParts(tx, (parts) => indexParts(resources, parts));
}

/**
 * `indexResources` as CTEs of a larger statement (the write path adds them to its row
 * inserts): all CTEs see one snapshot, so the deletes never see the inserts. Tables with no
 * rows to add are left out, which keeps the planner's work to what the batch needs.
 */
export function indexParts(resources: Resource[], parts: StatementParts): void {
  if (resources.length === 0) return;
  resources = lastOfEach(resources);
  const columns: IndexColumns = extractIndexRows(resources);
  const replaced = resources.filter((resource) => resource.meta?.versionId !== '1');
  if (replaced.length > 0) {
    const keys = parts.params(
      [replaced.map((r) => r.resourceType), replaced.map((r) => r.id)],
      ['text', 'text'],
    );
    parts.cte('k_index', `SELECT * FROM unnest(${keys}) AS k(resource_type, id)`);
    for (const table of tables) parts.cte(`d_${table}`, deleteKeys(table, 'k_index'));
  }
  for (const table of tables) {
    const tableColumns = columns[table].slice(0, columnCounts[table]);
    if ((tableColumns[0]?.length ?? 0) === 0) continue;
    const args = parts.params(tableColumns, columnTypes[table]);
    parts.cte(`i_${table}`, `INSERT INTO search_${table} SELECT * FROM unnest(${args})`);
  }
}

/** Removes the search-index rows of deleted resources. */
export async function removeIndexes(tx: SqlExecutor, resourceType: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(deleteSql, [resourceType, ids]);
}

/** A batch naming one resource twice would insert its rows twice: the last version wins. */
function lastOfEach(resources: Resource[]): Resource[] {
  const byKey = new Map(resources.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]));
  return byKey.size === resources.length ? resources : [...byKey.values()];
}
