import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../kernel/errors.ts';
import { searchResources } from './search/search-resources.ts';
import { parseSearch } from './search/search-request.ts';
import { whereClause } from './search/query-sql.ts';
import { add, newArgs } from './search/sql-args.ts';
import { searchParamsFor } from './search/search-params.ts';
import type { TxContext } from './store-context.ts';
import type { SqlExecutor } from './sql/database.ts';
import type { SearchRequest, SearchScope } from './search/contract.ts';
import { hasPatientCompartment } from '../fhir/compartment.ts';

/** Parses `a=1&b=2` (the query of a conditional interaction) into ordered pairs. */
export function parseQuery(query: string): [string, string][] {
  const pairs = [...new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)];
  if (pairs.length === 0) {
    throw new ThroughlineError('INVALID_REQUEST', 'A conditional interaction needs search criteria');
  }
  return pairs;
}

/**
 * The resources a conditional create/update/delete or conditional reference selects. At most
 * two are fetched: callers only need to tell none, one and several apart.
 */
export async function findMatches(ctx: TxContext, resourceType: string, query: string): Promise<Resource[]> {
  const request = criteriaRequest(ctx, resourceType, query);
  const bundle = await searchResources(ctx.tx, { ...request, params: [...request.params, ['_count', '2']] });
  return admitted(
    ctx,
    (bundle.entry ?? [])
      .filter((entry) => entry.search?.mode !== 'include')
      .map((entry) => entry.resource as Resource),
  );
}

/**
 * A conditional interaction's criteria as a search run as the caller (`scope`): only their
 * compartment, never rows with a label they may not see, chains and `_has` scoped too. A match
 * they could not see must not be updated, deleted or returned in their name.
 */
export function criteriaSearch(
  resourceType: string,
  query: string,
  scope: SearchScope | undefined,
): Omit<SearchRequest, 'baseUrl'> {
  const params = parseQuery(query).filter(([name]) => name !== '_count');
  const request = { resourceType, params, strict: true };
  if (!scope) return request;
  if (!scope.maySearch(resourceType))
    throw new ThroughlineError('FORBIDDEN', `Not allowed: search ${resourceType} (conditional criteria)`);
  const labels = scope.hiddenLabels.map((label): [string, string] => [
    '_security:not',
    `${label.system}|${label.code}`,
  ]);
  const patients = scope.patients && hasPatientCompartment(resourceType) ? [...scope.patients] : undefined;
  return {
    ...request,
    params: [...params, ...labels],
    scope,
    ...(patients ? { compartment: { resourceType: 'Patient', id: patients[0] ?? '', ids: patients } } : {}),
  };
}

function criteriaRequest(ctx: TxContext, resourceType: string, query: string): SearchRequest {
  return { ...criteriaSearch(resourceType, query, ctx.scope), baseUrl: ctx.baseUrl };
}

/** Matches the caller's scope refuses (consent) count as not there. */
function admitted(ctx: TxContext, matches: Resource[]): Resource[] {
  const admits = ctx.scope?.admits;
  return admits ? matches.filter((match) => admits(match)) : matches;
}

/** Exactly one match or a coded error naming the criteria. */
export async function findSingleMatch(
  ctx: TxContext,
  resourceType: string,
  query: string,
): Promise<Resource | undefined> {
  const matches = await findMatches(ctx, resourceType, query);
  if (matches.length > 1) {
    throw new ThroughlineError('MULTIPLE_MATCHES', `${resourceType}?${query} matches more than one resource`);
  }
  return matches[0];
}

/** One conditional interaction's criteria: `Patient` + `identifier=sys|123`. */
export interface Criteria {
  resourceType: string;
  query: string;
}

/** Conditional criteria are serialized per type+query so concurrent conditional creates make one resource. */
export async function lockCriteria(ctx: TxContext, resourceType: string, query: string): Promise<void> {
  await lockCriteriaMany(ctx, [{ resourceType, query }]);
}

/**
 * Locks many criteria in one round trip. Keys are taken in sorted order, so two transactions
 * locking overlapping sets cannot deadlock each other.
 */
export async function lockCriteriaMany(ctx: TxContext, criteria: Criteria[]): Promise<void> {
  if (criteria.length === 0) return;
  const keys = [...new Set(criteria.map(criteriaKey))].sort();
  await ctx.tx.query(`SELECT ${CRITERIA_LOCKS} FROM unnest($1::text[]) AS k`, [keys]);
}

/** The lock expression over keys `k` (namespace 1), shared with callers that lock in their own statement. */
export const CRITERIA_LOCKS = 'pg_advisory_xact_lock(hashtextextended(k, 1))';

export function criteriaKey({ resourceType, query }: Criteria): string {
  const normalized = parseQuery(query)
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&');
  return `${resourceType}?${normalized}`;
}

/**
 * `findMatches` for many criteria in one query (a Bundle with many conditional entries, e.g. an
 * HL7 message's patient, order, report and results): each criterion is the search engine's own
 * WHERE clause, so the answer is exactly what one search per criterion would give.
 */
export async function findMatchesMany(ctx: TxContext, criteria: Criteria[]): Promise<Resource[][]> {
  if (criteria.length === 0) return [];
  const matches: Resource[][] = criteria.map(() => []);
  const byIdentifier: { index: number; key: IdentifierKey }[] = [];
  const general: { index: number; criteria: Criteria }[] = [];
  for (const [index, each] of criteria.entries()) {
    const key = unscoped(ctx, each.resourceType) ? identifierKeyOf(each) : undefined;
    if (key) byIdentifier.push({ index, key });
    else general.push({ index, criteria: each });
  }
  for (const { k, content } of [
    ...(await findByIdentifiers(ctx.tx, byIdentifier)),
    ...(await findByWhereClauses(ctx, general)),
  ])
    matches[k]!.push(JSON.parse(content) as Resource);
  return matches.map((each) => admitted(ctx, each));
}

/**
 * The stored contents matching each identifier criterion (`identifierKeyOf`) by `criteriaKey`,
 * as `findMatchesMany` finds them for a caller whose scope narrows nothing (`unscoped`); other
 * criteria are left out. Issued at once (one statement), for a caller to pipeline it.
 */
export async function findIdentifierMatches(
  tx: SqlExecutor,
  criteria: Criteria[],
): Promise<Map<string, string[]>> {
  const unique = [...new Map(criteria.map((each) => [criteriaKey(each), each])).entries()];
  const keys = unique.flatMap(([, each], index) => {
    const key = identifierKeyOf(each);
    return key ? [{ index, key }] : [];
  });
  const found = new Map(keys.map(({ index }) => [unique[index]![0], [] as string[]]));
  for (const { k, content } of await findByIdentifiers(tx, keys)) found.get(unique[k]![0])!.push(content);
  return found;
}

/** Whether the caller's scope narrows nothing for a plain criterion on this type (the fast path then holds). */
export function unscoped(ctx: TxContext, resourceType: string): boolean {
  const scope = ctx.scope;
  return (
    !scope ||
    (scope.hiddenLabels.length === 0 && !scope.patients && !scope.admits && scope.maySearch(resourceType))
  );
}

/** `identifier=system|value`, the criteria of nearly every message-driven upsert. */
interface IdentifierKey {
  resourceType: string;
  system: string;
  value: string;
}

/**
 * The criteria is exactly one `identifier` token with a system and a value, and no escapes,
 * modifiers or alternatives: then the search engine's WHERE clause is a plain equality on the
 * token index, which one statement can probe for every criterion of a batch.
 */
function identifierKeyOf({ resourceType, query }: Criteria): IdentifierKey | undefined {
  const pairs = parseQuery(query);
  if (pairs.length !== 1 || pairs[0]![0] !== 'identifier') return undefined;
  const token = pairs[0]![1];
  if (/[\\,$]/.test(token)) return undefined;
  const parts = token.split('|');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const param = searchParamsFor(resourceType).byCode.get('identifier');
  if (param?.table !== 'token' || param.sources.length !== 1 || param.sources[0]!.code !== 'identifier')
    return undefined;
  return { resourceType, system: parts[0], value: parts[1] };
}

/**
 * One generic statement for all identifier criteria, whatever their number: its plan is the
 * same every time (the UNION ALL of per-criterion WHERE clauses cost 1.5 ms of planning per
 * batch), and each criterion is one probe of search_token_lookup_idx.
 */
async function findByIdentifiers(
  tx: SqlExecutor,
  keys: { index: number; key: IdentifierKey }[],
): Promise<{ k: number; content: string }[]> {
  if (keys.length === 0) return [];
  const result = await tx.query<{ k: number; content: string }>(
    `SELECT q.k, m.content FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS q(k, resource_type, system, value)
     CROSS JOIN LATERAL (
       SELECT r.content FROM resource r
       WHERE r.resource_type = q.resource_type AND NOT r.deleted AND r.id IN (
         SELECT s.id FROM search_token s WHERE s.resource_type = q.resource_type AND s.code = 'identifier'
           AND s.value = q.value AND s.system = q.system)
       ORDER BY r.id LIMIT 2) m`,
    [
      keys.map((each) => each.index),
      keys.map((each) => each.key.resourceType),
      keys.map((each) => each.key.system),
      keys.map((each) => each.key.value),
    ],
    { prepare: true },
  );
  return result.rows;
}

async function findByWhereClauses(
  ctx: TxContext,
  criteria: { index: number; criteria: Criteria }[],
): Promise<{ k: number; content: string }[]> {
  if (criteria.length === 0) return [];
  const args = newArgs();
  const parts = criteria.map(({ index, criteria: { resourceType, query } }) => {
    const request = criteriaRequest(ctx, resourceType, query);
    const where = whereClause(args, request, parseSearch(request));
    return `(SELECT ${add(args, index)}::int AS k, r.content FROM resource r WHERE ${where} ORDER BY r.id LIMIT 2)`;
  });
  const result = await ctx.tx.query<{ k: number; content: string }>(parts.join('\nUNION ALL\n'), args.values);
  return result.rows;
}
