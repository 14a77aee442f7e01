import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import { forEachConcurrently } from '../../kernel/concurrency.ts';
import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import { scheduleKeyedJobs, type ChangeEvent, type EventHandler, type KeyedJob } from '../../store/index.ts';
import { DELIVERY_QUEUE, type EngagementDeps } from './engagement-deps.ts';
import type { DeliveryPayload } from './deliver-request.ts';

/** Ids per search: the store's limit on one parameter's OR list. */
const IDS_PER_SEARCH = 100;
const SEARCHES_AT_ONCE = 4;

/**
 * Any path may write a CommunicationRequest (API, automation, staff, reminders): each committed
 * write of an active one (re)schedules its one delivery job for when it falls due. A request
 * moved later keeps its job, which on waking finds it not yet due and sleeps again.
 */
export async function scheduleDelivery(deps: EngagementDeps, event: ChangeEvent): Promise<void> {
  if (event.resourceType !== 'CommunicationRequest' || event.action === 'delete') return;
  const request = await deps.repository
    .read<CommunicationRequest>('CommunicationRequest', event.id)
    .catch(absentUnlessUnavailable);
  await scheduleKeyedJobs(deps.db, request ? deliveryJobs(deps, [request]) : []);
}

/**
 * The same for a batch of events: the active requests are read as they are now, a hundred per search
 * (one checkpoint call and one audit record each, instead of one per event), and their jobs
 * scheduled in one statement. An import of ten thousand reminders is scheduled in seconds.
 */
export async function scheduleDeliveries(deps: EngagementDeps, events: ChangeEvent[]): Promise<void> {
  const ids = [
    ...new Set(
      events
        .filter((event) => event.resourceType === 'CommunicationRequest' && event.action !== 'delete')
        .map((event) => event.id),
    ),
  ];
  const chunks = Array.from({ length: Math.ceil(ids.length / IDS_PER_SEARCH) }, (_, i) =>
    ids.slice(i * IDS_PER_SEARCH, (i + 1) * IDS_PER_SEARCH),
  );
  const requests: CommunicationRequest[] = [];
  await forEachConcurrently(chunks, SEARCHES_AT_ONCE, async (chunk) => {
    const bundle: Bundle = await deps.repository.search({
      resourceType: 'CommunicationRequest',
      // Only active ones get a job: most events of a dispatch are the engine's own completions,
      // which the database leaves out here instead of sending, parsing and checking each.
      params: [
        ['_id', chunk.join(',')],
        ['status', 'active'],
        ['_count', String(chunk.length)],
      ],
    });
    for (const entry of bundle.entry ?? []) requests.push(entry.resource as CommunicationRequest);
  });
  await scheduleKeyedJobs(deps.db, deliveryJobs(deps, requests));
}

/**
 * Something about a person changed what may go when (her quiet hours): each of her active
 * requests' delivery jobs is brought forward to when it falls due, so a job put back until her
 * old quiet hours ended wakes now and asks the send window again. Moving a job earlier only
 * makes the engine decide again at the moment of sending; it never sends anything by itself.
 */
export async function retimeDeliveries(
  deps: Pick<EngagementDeps, 'repository' | 'db' | 'clock'>,
  patientIds: readonly string[],
): Promise<number> {
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['subject', patientIds.map((id) => `Patient/${id}`).join(',')],
      ['status', 'active'],
      ['_count', '1000'],
    ],
  });
  const jobs = deliveryJobs(
    deps,
    (bundle.entry ?? []).map((entry) => entry.resource as CommunicationRequest),
  );
  await scheduleKeyedJobs(deps.db, jobs);
  return jobs.length;
}

/** One keyed delivery job per active request, for when it falls due. */
function deliveryJobs(deps: Pick<EngagementDeps, 'clock'>, requests: CommunicationRequest[]): KeyedJob[] {
  return requests
    .filter(
      (request): request is CommunicationRequest & { id: string } =>
        request.status === 'active' && !!request.id,
    )
    .map((request) => ({
      queue: DELIVERY_QUEUE,
      key: `CommunicationRequest/${request.id}`,
      payload: { request: request.id } satisfies DeliveryPayload,
      runAt: request.occurrenceDateTime ?? deps.clock.now().toISOString(),
    }));
}

/** The change-event subscriber that schedules deliveries (and plans reminders, see `reminders/`). */
export function outreachScheduler(
  deps: EngagementDeps,
  more: ((event: ChangeEvent) => Promise<void>)[] = [],
): EventHandler {
  return {
    subscriber: 'engagement',
    batchSize: 500,
    async handle(event) {
      await scheduleDelivery(deps, event);
      for (const handle of more) await handle(event);
    },
    async handleBatch(events) {
      await scheduleDeliveries(deps, events);
      for (const event of events) for (const handle of more) await handle(event);
    },
  };
}
