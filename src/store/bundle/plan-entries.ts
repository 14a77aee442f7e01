import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { newId } from '../../kernel/ids.ts';
import { isResourceType } from '../../fhir/definitions.ts';
import { findMatches, findSingleMatch, lockCriteria } from '../find-matches.ts';
import type { TxContext } from '../store-context.ts';
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

/**
 * Decides each entry's target id and records `fullUrl → Type/id` so references between entries
 * (`urn:uuid:…`) can be rewritten before anything is stored.
 */
export async function planEntries(
  ctx: TxContext,
  entries: BundleEntry[],
  idMap: Map<string, string>,
): Promise<EntryPlan[]> {
  const plans: EntryPlan[] = [];
  for (const [index, entry] of entries.entries()) {
    plans.push(await planEntry(ctx, entry, index, idMap));
  }
  return plans;
}

async function planEntry(
  ctx: TxContext,
  entry: BundleEntry,
  index: number,
  idMap: Map<string, string>,
): Promise<EntryPlan> {
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
  const base: EntryPlan = { index, method: method as EntryPlan['method'], writes: [], url };
  switch (method) {
    case 'GET':
    case 'HEAD':
      return { ...base, method: 'GET' };
    case 'POST':
      return planCreate(ctx, entry, base, resourceType, idMap);
    case 'PUT':
      return planUpdate(ctx, entry, base, resourceType, id ?? '', query, idMap);
    case 'DELETE':
      return planDelete(ctx, base, resourceType, id, query);
    default:
      throw new ThroughlineError('NOT_SUPPORTED', `Method ${method} is not supported in a Bundle`, {
        expression: `${where}.request.method`,
      });
  }
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

async function planCreate(
  ctx: TxContext,
  entry: BundleEntry,
  plan: EntryPlan,
  resourceType: string,
  idMap: Map<string, string>,
): Promise<EntryPlan> {
  const resource = requireResource(entry, plan, resourceType);
  const criteria = entry.request?.ifNoneExist;
  if (criteria) {
    await lockCriteria(ctx, resourceType, criteria);
    const match = await findSingleMatch(ctx, resourceType, criteria);
    if (match) {
      if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${match.id}`);
      return { ...plan, existing: match };
    }
  }
  const id = newId();
  if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${id}`);
  return {
    ...plan,
    writes: [{ method: 'create', resourceType, id, resource: { ...structuredClone(resource), id } }],
  };
}

async function planUpdate(
  ctx: TxContext,
  entry: BundleEntry,
  plan: EntryPlan,
  resourceType: string,
  id: string,
  query: string | undefined,
  idMap: Map<string, string>,
): Promise<EntryPlan> {
  const resource = requireResource(entry, plan, resourceType);
  let targetId = id;
  if (query !== undefined) {
    await lockCriteria(ctx, resourceType, query);
    targetId = (await findSingleMatch(ctx, resourceType, query))?.id ?? resource.id ?? newId();
  } else if (!id || (resource.id !== undefined && resource.id !== id)) {
    throw new ThroughlineError('INVALID_REQUEST', 'PUT needs Type/id matching the resource id', {
      expression: `Bundle.entry[${plan.index}].request.url`,
    });
  }
  if (entry.fullUrl) idMap.set(entry.fullUrl, `${resourceType}/${targetId}`);
  const expectedVersion = parseEtag(entry.request?.ifMatch);
  return {
    ...plan,
    writes: [
      {
        method: 'update',
        resourceType,
        id: targetId,
        resource: { ...structuredClone(resource), id: targetId },
        expectedVersion,
      },
    ],
  };
}

async function planDelete(
  ctx: TxContext,
  plan: EntryPlan,
  resourceType: string,
  id: string | undefined,
  query: string | undefined,
): Promise<EntryPlan> {
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
