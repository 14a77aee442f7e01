import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { cloneJson } from '../../kernel/clone-json.ts';
import { isResourceType } from '../../fhir/definitions.ts';
import {
  criteriaKey,
  findMatches,
  findIdentifierMatches,
  findMatchesMany,
  lockCriteriaMany,
  unscoped,
  type Criteria,
} from '../find-matches.ts';
import type { TxContext } from '../store-context.ts';
import type { SqlExecutor } from '../sql/database.ts';
import type { PendingWrite } from '../write/pending-write.ts';

/** What one Bundle entry will do, decided before anything is written. */
export interface EntryPlan {
  index: number;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Writes this entry makes (none for GET, or for a conditional create that matched). */
  writes: PendingWrite[];
  /** For GET entries: the request URL. */
  url: string;
  /** Conditional create that matched an existing resource. */
  existing?: Resource;
}

/** FHIR's transaction processing order: deletes, creates, updates, then reads. */
const methodOrder = { DELETE: 0, POST: 1, PUT: 2, GET: 3 } as const;

export function processingOrder(plans: EntryPlan[]): EntryPlan[] {
  return [...plans].sort((a, b) => methodOrder[a.method] - methodOrder[b.method] || a.index - b.index);
}

/** How a Bundle's entries are planned, and the map planning fills. */
export interface PlanOptions {
  /** Filled here: each entry's `fullUrl` → the `Type/id` it will have. */
  idMap: Map<string, string>;
  /** Elements a conditional update keeps from the stored resource, by type (`BulkOptions.keepElements`). */
  keepElements?: Record<string, string[]>;
  /** The criteria locks are taken already (`MessageBatchWrite.criteriaLocked`). */
  criteriaLocked?: boolean;
  /** Identifier criteria searched already, after the locks (`MessageBatchWrite.matches`). */
  matches?: Map<string, string[]>;
}

/**
 * Decides each entry's target id and records `fullUrl → Type/id` so references between entries
 * (`urn:uuid:…`) can be rewritten before anything is stored.
 */
export async function planEntries(
  ctx: TxContext,
  entries: BundleEntry[],
  options: PlanOptions,
): Promise<EntryPlan[]> {
  const { idMap } = options;
  const keepElements = options.keepElements ?? {};
  const matches = await resolveCriteria(ctx, entries, options);
  const plans: EntryPlan[] = [];
  for (const [index, entry] of entries.entries()) {
    plans.push(await planEntry(ctx, entry, { index, idMap, matches: matches.get(index), keepElements }));
  }
  return plans;
}

/**
 * Every conditional create's and update's criteria, locked and searched up front: two round
 * trips for the whole Bundle instead of two per entry (an HL7 result has six or more).
 */
async function resolveCriteria(
  ctx: TxContext,
  entries: BundleEntry[],
  options: PlanOptions,
): Promise<Map<number, Resource[]>> {
  const wanted: [number, Criteria][] = [];
  for (const [index, entry] of entries.entries()) {
    const criteria = conditionalCriteria(entry);
    if (criteria) wanted.push([index, criteria]);
  }
  if (!options.criteriaLocked)
    await lockCriteriaMany(
      ctx,
      wanted.map(([, each]) => each),
    );
  const resolved = new Map<number, Resource[]>();
  const search: [number, Criteria][] = [];
  for (const [index, criteria] of wanted) {
    // Searched already, by the same statement `findMatchesMany` runs for an unscoped caller.
    const found = unscoped(ctx, criteria.resourceType)
      ? options.matches?.get(criteriaKey(criteria))
      : undefined;
    if (found)
      resolved.set(
        index,
        found.map((content) => JSON.parse(content) as Resource),
      );
    else search.push([index, criteria]);
  }
  const found = await findMatchesMany(
    ctx,
    search.map(([, each]) => each),
  );
  for (const [at, [index]] of search.entries()) resolved.set(index, found[at]!);
  return resolved;
}

/**
 * What `processBundle` would find for a Bundle's identifier criteria (an HL7 message's patient,
 * order, report and results), searched at once: the HL7 group commit issues it together with
 * the statement that takes the criteria locks — one round trip for both, and PostgreSQL runs it
 * after the locks are held, with a snapshot of its own — and hands the answer to
 * `processBundle` (`MessageBatchWrite.matches`), which then does not search again.
 */
export function findBundleMatches(tx: SqlExecutor, entries: BundleEntry[]): Promise<Map<string, string[]>> {
  return findIdentifierMatches(
    tx,
    entries.map(conditionalCriteria).filter((each): each is Criteria => Boolean(each)),
  );
}

/**
 * The advisory-lock keys (namespace 1) of a Bundle's conditional criteria, sorted: what
 * `processBundle` locks first. A caller that takes them in an earlier statement of its own
 * transaction marks it (`messageBatchTransaction`, `criteriaLocked`) and saves the round trip.
 */
export function criteriaLockKeys(entries: BundleEntry[]): string[] {
  const criteria = entries.map(conditionalCriteria).filter((each): each is Criteria => Boolean(each));
  return [...new Set(criteria.map(criteriaKey))].sort();
}

export function conditionalCriteria(entry: BundleEntry): Criteria | undefined {
  const [path = '', query] = splitUrl(entry.request?.url ?? '');
  const resourceType = path.split('/')[0] ?? '';
  // Malformed entries are reported by planEntry, with their path.
  if (!isResourceType(resourceType)) return undefined;
  if (entry.request?.method === 'POST' && entry.request.ifNoneExist)
    return { resourceType, query: entry.request.ifNoneExist };
  if (entry.request?.method === 'PUT' && query !== undefined) return { resourceType, query };
  return undefined;
}

/** Exactly one match or none; several is a coded error naming the criteria. */
function singleMatch(
  matches: Resource[] | undefined,
  resourceType: string,
  query: string,
): Resource | undefined {
  if (matches && matches.length > 1)
    throw new ThroughlineError('MULTIPLE_MATCHES', `${resourceType}?${query} matches more than one resource`);
  return matches?.[0];
}

/** What planning one entry needs from the Bundle: its index, the id map, its criteria's matches. */
interface EntryContext {
  index: number;
  idMap: Map<string, string>;
  /** What the entry's conditional criteria found (`resolveCriteria`), if it has criteria. */
  matches: Resource[] | undefined;
  keepElements: Record<string, string[]>;
}

/** An entry's request, checked: its method, its URL and the `Type/id?query` the URL names. */
interface EntryRequest {
  method: string;
  url: string;
  resourceType: string;
  id: string | undefined;
  query: string | undefined;
}

/** One entry being planned: the entry, its plan so far, its request, and the Bundle's shared state. */
interface EntryWork {
  entry: BundleEntry;
  plan: EntryPlan;
  request: EntryRequest;
  idMap: Map<string, string>;
  matches: Resource[] | undefined;
  /** Elements of the stored resource a conditional update keeps. */
  keep: string[];
}

async function planEntry(ctx: TxContext, entry: BundleEntry, context: EntryContext): Promise<EntryPlan> {
  const { index, idMap, matches, keepElements } = context;
  const request = readEntryRequest(entry, index);
  const base: EntryPlan = {
    index,
    method: request.method as EntryPlan['method'],
    writes: [],
    url: request.url,
  };
  const work: EntryWork = {
    entry,
    plan: base,
    request,
    idMap,
    matches,
    keep: keepElements[request.resourceType] ?? [],
  };
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return { ...base, method: 'GET' };
    case 'POST':
      return planCreate(work);
    case 'PUT':
      return planUpdate(work);
    case 'DELETE':
      return planDelete(ctx, work);
    default:
      throw new ThroughlineError('NOT_SUPPORTED', `Method ${request.method} is not supported in a Bundle`, {
        expression: `Bundle.entry[${index}].request.method`,
      });
  }
}

/** The entry's request method and URL, both required; the URL must name a known resource type. */
function readEntryRequest(entry: BundleEntry, index: number): EntryRequest {
  const where = `Bundle.entry[${index}]`;
  const method = entry.request?.method;
  const url = entry.request?.url;
  if (!method || !url) {
    throw new ThroughlineError('INVALID_REQUEST', 'Each entry needs request.method and request.url', {
      expression: `${where}.request`,
    });
  }
  const [path = '', query] = splitUrl(url);
  const [resourceType = '', id] = path.split('/');
  if (!isResourceType(resourceType)) {
    throw new ThroughlineError('INVALID_REQUEST', `Unknown resource type in "${url}"`, {
      expression: `${where}.request.url`,
    });
  }
  return { method, url, resourceType, id, query };
}

function splitUrl(url: string): [string, string | undefined] {
  const at = url.indexOf('?');
  return at < 0
    ? [url.replace(/^\/+/, ''), undefined]
    : [url.slice(0, at).replace(/^\/+/, ''), url.slice(at + 1)];
}

function requireResource(entry: BundleEntry, plan: EntryPlan, resourceType: string): Resource {
  const resource = entry.resource;
  if (!resource || resource.resourceType !== resourceType) {
    throw new ThroughlineError('INVALID_REQUEST', `Entry resource must be a ${resourceType}`, {
      expression: `Bundle.entry[${plan.index}].resource`,
    });
  }
  return resource;
}

function planCreate({ entry, plan, request, idMap, matches }: EntryWork): EntryPlan {
  const { resourceType } = request;
  const resource = requireResource(entry, plan, resourceType);
  const criteria = entry.request?.ifNoneExist;
  if (criteria) {
    const match = singleMatch(matches, resourceType, criteria);
    if (match) {
      if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${match.id}`);
      return { ...plan, existing: match };
    }
  }
  const id = newId();
  if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${id}`);
  return {
    ...plan,
    writes: [{ method: 'create', resourceType, id, resource: { ...cloneJson(resource), id } }],
  };
}

function planUpdate({ entry, plan, request, idMap, matches, keep }: EntryWork): EntryPlan {
  const { resourceType, query } = request;
  const id = request.id ?? '';
  let resource = requireResource(entry, plan, resourceType);
  let targetId = id;
  let expectedVersion = parseEtag(entry.request?.ifMatch);
  if (query !== undefined) {
    const match = singleMatch(matches, resourceType, query);
    targetId = match?.id ?? resource.id ?? newId();
    if (match && keep.length > 0) {
      resource = keptFrom(match, resource, keep);
      expectedVersion ??= match.meta?.versionId;
    }
  } else if (!id || (resource.id !== undefined && resource.id !== id)) {
    throw new ThroughlineError('INVALID_REQUEST', 'PUT needs Type/id matching the resource id', {
      expression: `Bundle.entry[${plan.index}].request.url`,
    });
  }
  if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${targetId}`);
  return {
    ...plan,
    writes: [
      {
        method: 'update',
        resourceType,
        id: targetId,
        resource: { ...cloneJson(resource), id: targetId },
        expectedVersion,
      },
    ],
  };
}

/** The new content, with the stored resource's values of the elements the writer does not own. */
function keptFrom(stored: Resource, incoming: Resource, keep: string[]): Resource {
  const kept: Record<string, unknown> = { ...incoming };
  for (const element of keep) {
    const value = (stored as unknown as Record<string, unknown>)[element];
    if (value !== undefined) kept[element] = value;
  }
  return kept as unknown as Resource;
}

async function planDelete(ctx: TxContext, { plan, request }: EntryWork): Promise<EntryPlan> {
  const { resourceType, id, query } = request;
  if (query !== undefined) {
    const matches = await findMatches(ctx, resourceType, query);
    if (matches.length > 1) {
      throw new ThroughlineError(
        'MULTIPLE_MATCHES',
        `DELETE ${resourceType}?${query} matches more than one resource`,
      );
    }
    return {
      ...plan,
      writes: matches.map((match) => ({ method: 'delete', resourceType, id: match.id as string })),
    };
  }
  if (!id)
    throw new ThroughlineError('INVALID_REQUEST', 'DELETE needs Type/id or criteria', {
      expression: `Bundle.entry[${plan.index}].request.url`,
    });
  return { ...plan, writes: [{ method: 'delete', resourceType, id }] };
}

/** `W/"3"` or `"3"` or `3` → `3`. */
export function parseEtag(etag: string | undefined): string | undefined {
  if (etag === undefined) return undefined;
  const match = /^(?:W\/)?"?([^"]+)"?$/.exec(etag.trim());
  if (!match) throw new ThroughlineError('INVALID_REQUEST', `Invalid ETag "${etag}"`);
  return match[1];
}
