import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { loadWrite } from './load-write.ts';
import { eventKey, type RuleEvent } from './rule-model.ts';
import type { RuleScope } from './rule-fhirpath.ts';

export type WriteScope = RuleScope & { event: RuleEvent };

/** Versions one history read returns at most (the store's page limit), and the pages read at most. */
const HISTORY_PAGE = 1000;
const MAX_PAGES = 5;
/** The change event's time and the version's `lastUpdated` may differ by the outbox's rounding. */
const CLOCK_SLACK_MS = 2000;
/** Fewer events of a type than this are read one by one (two reads each beat a window of others' writes). */
const MIN_FOR_WINDOW = 4;

/**
 * The writes of an event batch as the rules see them (`loadWrite` for each), read in one
 * audited history read per resource type — the versions written in the batch's time window —
 * instead of two audited reads per event. A version that read did not return (a previous
 * version older than the window, past its pages, erased, or not visible) is read on its own,
 * as `loadWrite` would.
 */
export async function loadWrites(repository: FhirRepository, events: RuleEvent[]): Promise<WriteScope[]> {
  const versions = new Map<string, Resource>();
  for (const [resourceType, ofType] of groupByType(events))
    if (ofType.length >= MIN_FOR_WINDOW)
      for (const resource of await versionsSince(repository, { resourceType, events: ofType }))
        versions.set(versionKey(resource), resource);
  return Promise.all(events.map((event) => scopeOf(repository, { event, versions })));
}

function groupByType(events: RuleEvent[]): Map<string, RuleEvent[]> {
  const groups = new Map<string, RuleEvent[]>();
  for (const event of events)
    groups.set(event.resourceType, [...(groups.get(event.resourceType) ?? []), event]);
  return groups;
}

async function versionsSince(
  repository: FhirRepository,
  { resourceType, events }: { resourceType: string; events: RuleEvent[] },
): Promise<Resource[]> {
  const times = events.map((event) => Date.parse(event.occurredAt));
  const since = new Date(Math.min(...times) - CLOCK_SLACK_MS).toISOString();
  const until = new Date(Math.max(...times) + CLOCK_SLACK_MS).toISOString();
  const found: Resource[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const bundle: Bundle = await repository.history({
      resourceType,
      since,
      until,
      count: HISTORY_PAGE,
      offset: page * HISTORY_PAGE,
    });
    for (const entry of bundle.entry ?? []) if (entry.resource) found.push(entry.resource);
    if (!bundle.link?.some((link) => link.relation === 'next')) break;
  }
  return found;
}

const versionKey = (resource: Resource): string =>
  `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;

async function scopeOf(
  repository: FhirRepository,
  { event, versions }: { event: RuleEvent; versions: Map<string, Resource> },
): Promise<WriteScope> {
  const version = Number(event.versionId);
  const resource = event.action === 'delete' ? undefined : versions.get(eventKey(event));
  const previousKey = `${event.resourceType}/${event.id}/_history/${version - 1}`;
  const previous = version > 1 ? versions.get(previousKey) : undefined;
  const complete = (event.action === 'delete' || resource) && (version <= 1 || previous);
  if (complete) return { resource, previous, event };
  // Not in the batch read: each version as a single read would find it (or find it gone).
  return loadWrite(repository, event);
}
