import type { Bundle, BundleEntry, BundleLink, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import type { SearchRequest } from './contract.ts';
import { findIncludes } from './include-resources.ts';
import { searchLimits } from './search-limits.ts';
import { orderClause, whereClause } from './query-sql.ts';
import { parseSearch, type ParsedSearch } from './search-request.ts';
import { selectElements, summarize } from './shape-results.ts';
import { add, newArgs } from './sql-args.ts';

/**
 * Runs a FHIR search and returns a `searchset` Bundle: one page of matches in a stable order
 * (`_sort` keys, then id), the `_include`/`_revinclude` resources, `self`/`next`/`previous`
 * links that repeat only the parameters that were understood, and `total` when asked for.
 */
export async function searchResources(db: SqlExecutor, request: SearchRequest): Promise<Bundle> {
  const parsed = parseSearch(request);
  const args = newArgs();
  const where = whereClause(args, request, parsed);
  const countOnly = parsed.summary === 'count' || parsed.count === 0;
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset' };
  if (countOnly || parsed.total !== 'none') {
    const counted = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM resource r WHERE ${where}`,
      [...args.values],
    );
    bundle.total = Number(counted.rows[0]?.n ?? 0);
  }
  if (countOnly) {
    bundle.link = pageLinks(request, parsed, false);
    return bundle;
  }
  const order = orderClause(args, request.resourceType, parsed.sort);
  const limit = add(args, parsed.count + 1);
  const offset = add(args, parsed.offset);
  const page = await db.query<{ content: string }>(
    `SELECT r.content FROM resource r WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    args.values,
  );
  const matches = page.rows.slice(0, parsed.count).map((row) => JSON.parse(row.content) as Resource);
  const included = await findIncludes(db, parsed, matches);
  bundle.link = pageLinks(request, parsed, page.rows.length > parsed.count);
  bundle.entry = [
    ...matches.map((resource) => entryOf(request, shape(resource, parsed), 'match')),
    ...included.resources.map((resource) => entryOf(request, resource, 'include')),
    ...(included.truncated ? [includesCutEntry()] : []),
  ];
  return bundle;
}

/** R4 3.1.1.5.1: warnings about the search go in an OperationOutcome entry with mode `outcome`. */
function includesCutEntry(): BundleEntry {
  const max = searchLimits.maxIncludedPerPage;
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'warning',
        code: 'too-costly',
        diagnostics: `_include/_revinclude found more than ${max} resources for this page; only the first ${max} are included (ask for a smaller _count)`,
        expression: ['_include', '_revinclude'],
      },
    ],
  };
  return { resource: outcome, search: { mode: 'outcome' } };
}

function shape(resource: Resource, parsed: ParsedSearch): Resource {
  if (parsed.elements) return selectElements(resource, parsed.elements);
  const summary = parsed.summary;
  if (summary === 'data' || summary === 'text' || summary === 'true') return summarize(resource, summary);
  return resource;
}

function entryOf(request: SearchRequest, resource: Resource, mode: 'match' | 'include'): BundleEntry {
  return {
    fullUrl: `${request.baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode },
  };
}

function pageLinks(request: SearchRequest, parsed: ParsedSearch, hasNext: boolean): BundleLink[] {
  const links: BundleLink[] = [{ relation: 'self', url: pageUrl(request, parsed, parsed.offset) }];
  if (hasNext) links.push({ relation: 'next', url: pageUrl(request, parsed, parsed.offset + parsed.count) });
  if (parsed.offset > 0) {
    links.push({
      relation: 'previous',
      url: pageUrl(request, parsed, Math.max(0, parsed.offset - parsed.count)),
    });
  }
  return links;
}

function pageUrl(request: SearchRequest, parsed: ParsedSearch, offset: number): string {
  const base = request.compartment
    ? `${request.baseUrl}/Patient/${request.compartment.id}/${request.resourceType}`
    : `${request.baseUrl}/${request.resourceType}`;
  const params: [string, string][] = offset > 0 ? [...parsed.kept, ['_offset', String(offset)]] : parsed.kept;
  const query = params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return query ? `${base}?${query}` : base;
}
