import type { SqlExecutor } from '../sql/database.ts';

interface RowKey {
  resourceType: string;
  id: string;
  versionId: string;
  compartment: string | null;
}

export interface RowsToWrite {
  current: (RowKey & { lastUpdated: string; deleted: boolean; content: string })[];
  history: (RowKey & { lastUpdated: string; method: string; content: string | null })[];
  events: (RowKey & { action: string; occurredAt: string })[];
}

/**
 * Writes the rows of one batch with one statement per table: `unnest` over parallel arrays
 * keeps the statement count constant however many resources a bundle holds.
 */
export async function insertRows(tx: SqlExecutor, rows: RowsToWrite): Promise<void> {
  if (rows.current.length === 0) return;
  const last = lastPerKey(rows.current);
  await tx.query(
    `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, compartment, content)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::boolean[], $6::text[], $7::text[])
     ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
       last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted,
       compartment = EXCLUDED.compartment, content = EXCLUDED.content`,
    [
      last.map((row) => row.resourceType),
      last.map((row) => row.id),
      last.map((row) => row.versionId),
      last.map((row) => row.lastUpdated),
      last.map((row) => row.deleted),
      last.map((row) => row.compartment),
      last.map((row) => row.content),
    ],
  );
  await tx.query(
    `INSERT INTO resource_history (resource_type, id, version_id, last_updated, method, compartment, content)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[])`,
    [
      rows.history.map((row) => row.resourceType),
      rows.history.map((row) => row.id),
      rows.history.map((row) => row.versionId),
      rows.history.map((row) => row.lastUpdated),
      rows.history.map((row) => row.method),
      rows.history.map((row) => row.compartment),
      rows.history.map((row) => row.content),
    ],
  );
  await tx.query(
    `INSERT INTO change_event (resource_type, id, version_id, action, compartment, occurred_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[])`,
    [
      rows.events.map((row) => row.resourceType),
      rows.events.map((row) => row.id),
      rows.events.map((row) => row.versionId),
      rows.events.map((row) => row.action),
      rows.events.map((row) => row.compartment),
      rows.events.map((row) => row.occurredAt),
    ],
  );
}

/** A batch may write one resource twice (a transaction that updates then deletes): keep the last. */
function lastPerKey<T extends RowKey>(rows: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(`${row.resourceType}/${row.id}`, row);
  return [...byKey.values()];
}
