import type { Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import { extractIndexRows } from './extract-index-rows.ts';
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

/** The columns after resource_type, id and code, in table order (migration 002). */
const valueColumns: Record<IndexTable, string[]> = {
  token: ['system', 'value', 'display'],
  string: ['value', 'exact'],
  date: ['low', 'high'],
  number: ['low', 'high', 'system', 'unit_code', 'unit'],
  reference: ['target_type', 'target_id', 'reference', 'identifier_system', 'identifier_value'],
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
 *
 * A new version of a stored resource keeps the rows it shares with the stored ones: only rows
 * no longer extracted are deleted and only rows not stored yet are inserted (compared in SQL
 * with what is stored, so rows written by older code are corrected as before). Deleting and
 * re-inserting the same rows cost an index entry per row and column set, and left dead
 * duplicates in the lookup indexes that later inserts had to step over (an outreach delivery
 * rewrote 13 unchanged rows of its attempt and request for 2 that changed).
 */
export function indexParts(resources: Resource[], parts: StatementParts): void {
  if (resources.length === 0) return;
  resources = lastOfEach(resources);
  const replaced = resources.filter((resource) => resource.meta?.versionId !== '1');
  const fresh = replaced.length === 0 ? resources : resources.filter((r) => r.meta?.versionId === '1');
  const freshColumns = extractIndexRows(fresh);
  const replacedColumns = extractIndexRows(replaced);
  if (replaced.length > 0) {
    const keys = parts.params(
      [replaced.map((r) => r.resourceType), replaced.map((r) => r.id)],
      ['text', 'text'],
    );
    parts.cte('k_index', `SELECT * FROM unnest(${keys}) AS k(resource_type, id)`);
  }
  for (const table of tables) {
    if (replaced.length > 0) replaceRows(table, replacedColumns[table], parts);
    const freshRows = freshColumns[table];
    if ((freshRows[0]?.length ?? 0) === 0) continue;
    const args = parts.params(freshRows, columnTypes[table]);
    parts.cte(`i_${table}`, `INSERT INTO search_${table} SELECT * FROM unnest(${args})`);
  }
}

/**
 * The rows of the replaced resources (CTE `k_index`) in one table: those stored and not
 * extracted from the new versions are deleted, those extracted and not stored are inserted.
 * The stored rows are read as `deleteKeys` finds them, one index probe per resource; both
 * differences are then joins of these few rows, never of the table.
 */
function replaceRows(table: IndexTable, columns: unknown[][], parts: StatementParts): void {
  if ((columns[0]?.length ?? 0) === 0) return parts.cte(`d_${table}`, deleteKeys(table, 'k_index'));
  const names = ['resource_type', 'id', 'code', ...valueColumns[table]].join(', ');
  parts.cte(
    `n_${table}`,
    `SELECT * FROM unnest(${parts.params(columns, columnTypes[table])}) AS n(${names})`,
  );
  parts.cte(
    `o_${table}`,
    `SELECT s.* FROM k_index k, LATERAL (SELECT ctid, ${names} FROM search_${table} s
      WHERE s.resource_type = k.resource_type AND s.id = k.id OFFSET 0) s`,
  );
  const unlessIn = (other: string, alias: string) =>
    `NOT EXISTS (SELECT 1 FROM ${other} WHERE ${sameRow(table, other, alias)})`;
  parts.cte(
    `d_${table}`,
    `DELETE FROM search_${table} WHERE ctid = ANY(ARRAY(SELECT o.ctid FROM o_${table} o WHERE ${unlessIn(`n_${table}`, 'o')}))`,
  );
  parts.cte(
    `u_${table}`,
    `INSERT INTO search_${table} SELECT ${names} FROM n_${table} n WHERE ${unlessIn(`o_${table}`, 'n')}`,
  );
}

/** `a` and `b` are the same index row (same resource, parameter and values, NULLs equal). */
function sameRow(table: IndexTable, a: string, b: string): string {
  const values = valueColumns[table].map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`);
  return [
    `${a}.resource_type = ${b}.resource_type`,
    `${a}.id = ${b}.id`,
    `${a}.code = ${b}.code`,
    ...values,
  ].join(' AND ');
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
