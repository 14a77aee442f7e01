import type { Bundle, BundleEntry, BundleEntryRequest, Resource } from '@medplum/fhirtypes';
import { stableId } from './stable-id.ts';

/** A Bundle made ready for idempotent import, and what preparing it left out. */
export interface PreparedBundle {
  bundle: Bundle;
  /** `Type/id` this bundle claimed for the run (see `prepareBundle`); released if it fails. */
  claimed: string[];
  /** Entries not sent: GET/HEAD reads, and creates of a resource an earlier file of this run already holds. */
  skipped: number;
  /** For each entry sent, its index in the original Bundle (error expressions name that one). */
  originalIndex: number[];
}

const uuidUrn = /^urn:uuid:([0-9a-fA-F-]{36})$/;
const absoluteTail = /\/([A-Z][A-Za-z]+(?:\/[A-Za-z0-9\-.]{1,64})?(?:\?.*)?)$/;

/** `http://server/fhir/Patient/1` → `Patient/1`; relative URLs are returned as they are. */
export function relativeRequestUrl(url: string): string {
  if (!/^https?:\/\//.test(url)) return url;
  const [path = '', query] = url.split('?');
  const tail = absoluteTail.exec(path)?.[1] ?? url;
  return query === undefined ? tail : `${tail}?${query}`;
}

/**
 * Absolute request URLs become relative, and `ifNoneExist: Patient?identifier=…` (as the
 * spec's own examples write it) becomes the bare query the store expects.
 */
function normalizeRequest(request: BundleEntryRequest): BundleEntryRequest {
  const ifNoneExist = request.ifNoneExist?.replace(/^[A-Z][A-Za-z]+\?/, '');
  return { ...request, url: relativeRequestUrl(request.url ?? ''), ...(ifNoneExist ? { ifNoneExist } : {}) };
}

/**
 * The id a plain create gets on import: the UUID of a `urn:uuid:` fullUrl (Synthea's ids are
 * UUIDs, and references already use them), else a stable id derived from the fullUrl, else
 * from the content. Conditional creates (`ifNoneExist`) keep their own idempotency.
 */
function importId(entry: BundleEntry): string | undefined {
  if (entry.request?.ifNoneExist) return undefined;
  const fullUrl = entry.fullUrl ?? '';
  const uuid = uuidUrn.exec(fullUrl)?.[1];
  if (uuid) return uuid.toLowerCase();
  return stableId(fullUrl || JSON.stringify(entry.resource));
}

/**
 * Turns a transaction/batch Bundle into one that can be imported twice without duplicates:
 * each plain `POST Type` becomes `PUT Type/<importId>`, references to its fullUrl become
 * `Type/<importId>`, and a create of a `Type/id` already claimed by an earlier file in this run
 * is dropped (Synthea repeats each Organization and Practitioner in every patient bundle that
 * uses it; the first copy wins, so repeated runs stay identical). Reads are dropped: import
 * loads data, it answers no queries.
 */
export function prepareBundle(bundle: Bundle, claimedInRun: Set<string>): PreparedBundle {
  const renamed = new Map<string, string>();
  const entries: BundleEntry[] = [];
  const claimed: string[] = [];
  const originalIndex: number[] = [];
  let skipped = 0;
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    const method = entry.request?.method;
    if (method === 'GET' || method === 'HEAD') {
      skipped++;
      continue;
    }
    const request = entry.request ? normalizeRequest(entry.request) : undefined;
    const id = method === 'POST' && entry.resource ? importId(entry) : undefined;
    if (!id || !entry.resource || !request) {
      entries.push({ ...entry, request });
      originalIndex.push(index);
      continue;
    }
    const key = `${entry.resource.resourceType}/${id}`;
    if (entry.fullUrl) renamed.set(entry.fullUrl, key);
    if (claimedInRun.has(key)) {
      skipped++;
      continue;
    }
    claimedInRun.add(key);
    claimed.push(key);
    originalIndex.push(index);
    entries.push({
      ...entry,
      resource: { ...entry.resource, id } as Resource,
      request: { ...request, method: 'PUT', url: key },
    });
  }
  for (const entry of entries) if (entry.resource) rewriteReferences(entry.resource, renamed);
  return { bundle: { ...bundle, entry: entries }, claimed, skipped, originalIndex };
}

/** Replaces, in place, every `reference` naming a renamed fullUrl. */
function rewriteReferences(value: unknown, renamed: Map<string, string>): void {
  if (renamed.size === 0 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, renamed);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'reference' && typeof child === 'string') {
      const target = renamed.get(child);
      if (target) record.reference = target;
    } else if (typeof child === 'object') rewriteReferences(child, renamed);
  }
}
