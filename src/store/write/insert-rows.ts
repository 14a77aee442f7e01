import type { StatementParts } from '../sql/statement-parts.ts';

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
 * The rows of one batch as data-modifying CTEs, one per table: `unnest` over parallel arrays
 * keeps the statement the same however many resources a bundle holds, and the write path runs
 * them together with the search-index CTEs as one statement — one round trip for the lot.
 */
export function rowParts(rows: RowsToWrite, parts: StatementParts): void {
  if (rows.current.length === 0) return;
  currentRowParts(lastPerKey(rows.current), parts);
  historyRowParts(rows.history, parts);
  eventRowParts(rows.events, parts);
}

/** Upserts the current row of each resource. */
function currentRowParts(last: RowsToWrite['current'], parts: StatementParts): void {
  const current = parts.params(
    [
      last.map((row) => row.resourceType),
      last.map((row) => row.id),
      last.map((row) => row.versionId),
      last.map((row) => row.lastUpdated),
      last.map((row) => row.deleted),
      last.map((row) => row.compartment),
      last.map((row) => row.content),
    ],
    ['text', 'text', 'bigint', 'timestamptz', 'boolean', 'text', 'text'],
  );
  parts.cte(
    'w_resource',
    `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, compartment, content)
     SELECT * FROM unnest(${current})
     ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
       last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted,
       compartment = EXCLUDED.compartment, content = EXCLUDED.content`,
  );
}

/** Appends every version written to the history. */
function historyRowParts(history: RowsToWrite['history'], parts: StatementParts): void {
  const values = parts.params(
    [
      history.map((row) => row.resourceType),
      history.map((row) => row.id),
      history.map((row) => row.versionId),
      history.map((row) => row.lastUpdated),
      history.map((row) => row.method),
      history.map((row) => row.compartment),
      history.map((row) => row.content),
    ],
    ['text', 'text', 'bigint', 'timestamptz', 'text', 'text', 'text'],
  );
  parts.cte(
    'w_history',
    `INSERT INTO resource_history (resource_type, id, version_id, last_updated, method, compartment, content)
     SELECT * FROM unnest(${values})`,
  );
}

/** One change event per version written, for the outbox readers. */
function eventRowParts(events: RowsToWrite['events'], parts: StatementParts): void {
  const values = parts.params(
    [
      events.map((row) => row.resourceType),
      events.map((row) => row.id),
      events.map((row) => row.versionId),
      events.map((row) => row.action),
      events.map((row) => row.compartment),
      events.map((row) => row.occurredAt),
    ],
    ['text', 'text', 'bigint', 'text', 'text', 'timestamptz'],
  );
  parts.cte(
    'w_event',
    `INSERT INTO change_event (resource_type, id, version_id, action, compartment, occurred_at)
     SELECT * FROM unnest(${values})`,
  );
}

/** A batch may write one resource twice (a transaction that updates then deletes): keep the last. */
function lastPerKey<T extends RowKey>(rows: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(`${row.resourceType}/${row.id}`, row);
  return [...byKey.values()];
}
