import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../kernel/errors.ts';
import { searchResources } from './search/search-resources.ts';
import type { TxContext } from './store-context.ts';

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
  const params = parseQuery(query).filter(([name]) => name !== '_count');
  const bundle = await searchResources(ctx.tx, {
    resourceType,
    params: [...params, ['_count', '2']],
    baseUrl: ctx.baseUrl,
    strict: true,
  });
  return (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode !== 'include')
    .map((entry) => entry.resource as Resource);
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

/** Conditional criteria are serialized per type+query so concurrent conditional creates make one resource. */
export async function lockCriteria(ctx: TxContext, resourceType: string, query: string): Promise<void> {
  const normalized = parseQuery(query)
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&');
  await ctx.tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [
    `${resourceType}?${normalized}`,
  ]);
}
