import type { SqlExecutor } from '../sql/database.ts';
import type { SearchRequest } from './contract.ts';
import { whereClause } from './query-sql.ts';
import { invalid, parseSearch, type ParsedSearch } from './search-request.ts';
import { add, newArgs } from './sql-args.ts';

/** One stored row as written: its id, its patient compartment and its JSON text, verbatim. */
export interface StoredRow {
  id: string;
  compartment: string | null;
  content: string;
}

/** A keyset page of stored rows, and the `after` of the next page (none at the end). */
export interface StoredPage {
  rows: StoredRow[];
  /**
   * The last id this page read. A reader that drops rows (the access checkpoint) keeps it: the
   * next page starts after what was read, not after what was shown.
   */
  next?: string;
}

/**
 * The matches of a search after `after`, in id order, as the stored JSON text — no parse, no
 * re-serialize — for streaming readers (bulk export): one primary-key range scan per page,
 * however deep. Only filters: result parameters that change what a row looks like or which rows
 * follow (`_elements`, `_summary`, `_include`, `_sort`, `_offset`) have no meaning here and are refused.
 */
export async function readStoredPage(
  db: SqlExecutor,
  request: SearchRequest & { after: string },
): Promise<StoredPage> {
  const parsed = parseSearch(request);
  refuseResultShaping(parsed);
  const args = newArgs();
  const where = whereClause(args, request, parsed);
  const limit = add(args, parsed.count + 1);
  const page = await db.query<StoredRow>(
    `SELECT r.id, r.compartment, r.content FROM resource r WHERE ${where} ORDER BY r.id ASC LIMIT ${limit}`,
    args.values,
  );
  const rows = page.rows.slice(0, parsed.count);
  return page.rows.length > parsed.count ? { rows, next: rows.at(-1)!.id } : { rows };
}

function refuseResultShaping(parsed: ParsedSearch): void {
  const shaping: [string, boolean][] = [
    ['_elements', parsed.elements !== undefined],
    ['_summary', parsed.summary !== undefined && parsed.summary !== 'false'],
    ['_include', parsed.include.length > 0],
    ['_revinclude', parsed.revinclude.length > 0],
    ['_sort', parsed.sort.length > 0],
    ['_offset', parsed.offset > 0],
  ];
  const named = shaping.find(([, present]) => present)?.[0];
  if (named) throw invalid(`${named} does not apply to a stream of stored resources`, named);
}
