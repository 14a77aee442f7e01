import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SqlExecutor } from '../sql/database.ts';
import type { HistoryRequest } from '../fhir-repository.ts';

interface HistoryRow {
  resource_type: string;
  id: string;
  version_id: string;
  last_updated: string;
  method: string;
  content: string | null;
}

const DEFAULT_COUNT = 50;
const MAX_COUNT = 1000;

/** Instance, type or system history, newest first, as a `history` Bundle with paging links. */
export async function readHistory(
  db: SqlExecutor,
  baseUrl: string,
  request: HistoryRequest,
): Promise<Bundle> {
  const count = Math.min(Math.max(request.count ?? DEFAULT_COUNT, 1), MAX_COUNT);
  const offset = Math.max(request.offset ?? 0, 0);
  const since = parseSince(request.since);
  const until = request.until === undefined ? null : parseSince(request.until);
  const rows = await historyRows(db, { request, since, until, count, offset });
  if (request.id && offset === 0 && rows.rows.length === 0 && !since) {
    throw new ThroughlineError('NOT_FOUND', `${request.resourceType}/${request.id} not found`);
  }
  const page = rows.rows.slice(0, count);
  const path = [baseUrl, request.resourceType, request.id, '_history'].filter(Boolean).join('/');
  const link = (at: number) =>
    `${path}?_count=${count}${since ? `&_since=${encodeURIComponent(since)}` : ''}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'history',
    link: [
      { relation: 'self', url: link(offset) },
      ...(rows.rows.length > count ? [{ relation: 'next', url: link(offset + count) }] : []),
      ...(offset > 0 ? [{ relation: 'previous', url: link(Math.max(offset - count, 0)) }] : []),
    ],
    entry: page.map((row) => historyEntry(baseUrl, row)),
  };
}

/** One page of versions, newest first, and one more to tell whether a next page exists. */
function historyRows(
  db: SqlExecutor,
  page: {
    request: HistoryRequest;
    since: string | null;
    until: string | null;
    count: number;
    offset: number;
  },
) {
  const { request, since, until, count, offset } = page;
  return db.query<HistoryRow>(
    `SELECT resource_type, id, version_id, last_updated, method, content FROM resource_history
     WHERE ($1::text IS NULL OR resource_type = $1) AND ($2::text IS NULL OR id = $2)
       AND ($3::timestamptz IS NULL OR last_updated >= $3) AND ($6::timestamptz IS NULL OR last_updated <= $6)
       AND ($7::text[] IS NULL OR compartment = ANY($7::text[]))
     ORDER BY last_updated DESC, resource_type, id, version_id DESC LIMIT $4 OFFSET $5`,
    [
      request.resourceType ?? null,
      request.id ?? null,
      since,
      count + 1,
      offset,
      until,
      request.patients ?? null,
    ],
  );
}

function historyEntry(baseUrl: string, row: HistoryRow): BundleEntry {
  const url = `${row.resource_type}/${row.id}`;
  const method = row.method === 'create' ? 'POST' : row.method === 'delete' ? 'DELETE' : 'PUT';
  return {
    fullUrl: `${baseUrl}/${url}`,
    ...(row.content ? { resource: JSON.parse(row.content) as Resource } : {}),
    request: { method, url: method === 'POST' ? row.resource_type : url },
    response: {
      status: row.method === 'create' ? '201' : row.method === 'delete' ? '204' : '200',
      etag: `W/"${row.version_id}"`,
      lastModified: new Date(row.last_updated).toISOString(),
    },
  };
}

function parseSince(since: string | undefined): string | null {
  if (since === undefined) return null;
  if (Number.isNaN(Date.parse(since))) {
    throw new ThroughlineError('INVALID_SEARCH', `_since must be an instant, got "${since}"`, {
      expression: '_since',
    });
  }
  return since;
}
