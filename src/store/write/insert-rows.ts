import { ThroughlineError } from '../../kernel/errors.ts';
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
  const last = lastPerKey(rows.current);
  const contents = currentRowParts(last, parts);
  historyRowParts(rows.history, parts, { last, contents });
  eventRowParts(rows.events, parts);
}

/**
 * Upserts the current row of each resource; returns the expression of their contents' array.
 *
 * The contents travel as one text, joined by U+0001, and are split by `string_to_array`: a
 * `text[]` parameter would have every quote of every JSON escaped by the driver and unescaped
 * by PostgreSQL (measured: 3× the CPU on both sides for this, the largest value of the write).
 * JSON.stringify escapes every control character inside strings and adds none between tokens,
 * so the separator cannot occur in a content.
 */
function currentRowParts(last: RowsToWrite['current'], parts: StatementParts): string {
  const current = parts.params(
    [
      last.map((row) => row.resourceType),
      last.map((row) => row.id),
      last.map((row) => row.versionId),
      last.map((row) => row.lastUpdated),
      last.map((row) => row.deleted),
      last.map((row) => row.compartment),
    ],
    ['text', 'text', 'bigint', 'timestamptz', 'boolean', 'text'],
  );
  parts.cte(
    'c_contents',
    `SELECT string_to_array(${parts.value(joinContents(last), 'text')}, chr(1)) AS contents`,
  );
  // A scalar subquery over the CTE: the text is split once, however many rows read it.
  const contents = '(SELECT contents FROM c_contents)';
  parts.cte(
    'w_resource',
    `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, compartment, content)
     SELECT * FROM unnest(${current}, ${contents})
     ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
       last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted,
       compartment = EXCLUDED.compartment, content = EXCLUDED.content`,
  );
  return contents;
}

const contentSeparator = '\u0001';

function joinContents(rows: RowsToWrite['current']): string {
  for (const row of rows) {
    // Contents are JSON.stringify's output (see currentRowParts); anything else is a bug here.
    if (row.content.includes(contentSeparator))
      throw new ThroughlineError('INTERNAL', `${row.resourceType}/${row.id}: content is not serialized JSON`);
  }
  return rows.map((row) => row.content).join(contentSeparator);
}

/**
 * Appends every version written to the history. A version that is also the current row (nearly
 * all of them) names that row's content by its position instead of carrying it again: the
 * largest value of the statement is then sent, escaped and parsed once, not twice.
 */
function historyRowParts(
  history: RowsToWrite['history'],
  parts: StatementParts,
  current: { last: RowsToWrite['current']; contents: string },
): void {
  const positions = new Map(current.last.map((row, at) => [`${row.resourceType}/${row.id}`, at]));
  const sameAsCurrent = (row: RowsToWrite['history'][number]): number | null => {
    const at = positions.get(`${row.resourceType}/${row.id}`);
    // Positions count from 1 in SQL arrays.
    return at !== undefined && row.content !== null && current.last[at]!.content === row.content
      ? at + 1
      : null;
  };
  const shared = history.map(sameAsCurrent);
  const values = parts.params(
    [
      history.map((row) => row.resourceType),
      history.map((row) => row.id),
      history.map((row) => row.versionId),
      history.map((row) => row.lastUpdated),
      history.map((row) => row.method),
      history.map((row) => row.compartment),
      history.map((row, at) => (shared[at] === null ? row.content : null)),
      shared,
    ],
    ['text', 'text', 'bigint', 'timestamptz', 'text', 'text', 'text', 'int'],
  );
  parts.cte(
    'w_history',
    `INSERT INTO resource_history (resource_type, id, version_id, last_updated, method, compartment, content)
     SELECT h.resource_type, h.id, h.version_id, h.last_updated, h.method, h.compartment,
       COALESCE(h.content, (${current.contents})[h.current_at])
     FROM unnest(${values}) AS h(resource_type, id, version_id, last_updated, method, compartment, content, current_at)`,
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
