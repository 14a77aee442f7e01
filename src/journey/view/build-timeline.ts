import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { categoryOf, resourceDate } from './resource-dates.ts';
import { engagementTrail, type EngagementItem } from './engagement-trail.ts';

export interface TimelineQuery {
  categories?: string[];
  source?: string;
  from?: string;
  to?: string;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  limit?: number;
}

export interface TimelineEvent {
  date: string;
  category: string;
  reference: string;
  source?: string;
  resource: Resource;
  /** For messages, calls, reminders and forms: channel, direction, status and the response. */
  engagement?: EngagementItem;
}

/**
 * The directory and definitions a record points at (who, where, which slot, which form) are
 * not events in the patient's story: a Practitioner or a Slot on the timeline, filed under
 * "clinical", only hides what happened. The 360 view still resolves them for names.
 */
const NOT_EVENTS = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
  'Endpoint',
  'Slot',
  'Schedule',
  'Medication',
  'Questionnaire',
  'PlanDefinition',
  'ActivityDefinition',
]);

/**
 * One chronological stream (newest first) of clinical, administrative and engagement events.
 * The order is stable — date, then type/id — and the cursor is the last (date, reference)
 * returned, so pages never repeat or skip when events with equal dates exist.
 */
export function buildTimeline(
  resources: Resource[],
  query: TimelineQuery,
): { events: TimelineEvent[]; next?: string } {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const trail = new Map(engagementTrail(resources).map((item) => [item.reference, item]));
  const events = resources
    .filter((resource) => !NOT_EVENTS.has(resource.resourceType))
    .map((resource) => {
      const reference = `${resource.resourceType}/${resource.id}`;
      const engagement = trail.get(reference);
      const event = { date: resourceDate(resource), category: categoryOf(resource), reference };
      return { ...event, source: resource.meta?.source, resource, ...(engagement ? { engagement } : {}) };
    })
    .filter((event) => !query.categories || query.categories.includes(event.category))
    .filter((event) => !query.source || event.source === query.source)
    .filter((event) => (!query.from || event.date >= query.from) && (!query.to || event.date <= query.to))
    .sort((a, b) => b.date.localeCompare(a.date) || a.reference.localeCompare(b.reference))
    .filter(
      (event) =>
        !after || event.date < after.date || (event.date === after.date && event.reference > after.reference),
    );
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const page = events.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page,
    next: events.length > limit && last ? encodeCursor(last.date, last.reference) : undefined,
  };
}

function encodeCursor(date: string, reference: string): string {
  return Buffer.from(JSON.stringify([date, reference])).toString('base64url');
}

function decodeCursor(cursor: string): { date: string; reference: string } {
  try {
    const [date, reference] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    return { date, reference };
  } catch {
    throw new ThroughlineError('INVALID_REQUEST', 'Invalid timeline cursor', { expression: 'cursor' });
  }
}
