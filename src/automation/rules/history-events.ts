import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { RuleEvent } from './rule-model.ts';

const PAGE = 1000;

/**
 * The writes of a type since an instant, oldest first, as the events the live engine saw
 * (the store's history holds every version with its change; the outbox may be trimmed).
 */
export async function historyEvents(
  repository: FhirRepository,
  query: { resourceType: string; since: string; limit: number },
): Promise<RuleEvent[]> {
  const events: RuleEvent[] = [];
  for (let offset = 0; events.length < query.limit; offset += PAGE) {
    const page: Bundle = await repository.history({
      resourceType: query.resourceType,
      since: query.since,
      count: PAGE,
      offset,
    });
    for (const entry of page.entry ?? []) events.push(eventOf(entry, query.resourceType));
    if (!page.link?.some((link) => link.relation === 'next')) break;
  }
  return events.slice(0, query.limit).reverse();
}

const ACTIONS: Record<string, RuleEvent['action']> = { POST: 'create', PUT: 'update', DELETE: 'delete' };

function eventOf(entry: BundleEntry, resourceType: string): RuleEvent {
  const resource = entry.resource as Resource | undefined;
  const id = resource?.id ?? entry.fullUrl?.split('/').pop() ?? '';
  const versionId = entry.response?.etag?.replace(/^W\/"|"$/g, '') ?? '';
  const compartment = resource ? patientCompartmentOf(resource) : undefined;
  return {
    resourceType,
    id,
    versionId,
    action: ACTIONS[entry.request?.method ?? 'PUT'] ?? 'update',
    occurredAt: entry.response?.lastModified ?? '',
    ...(compartment ? { patient: `Patient/${compartment}` } : {}),
  };
}
