import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { CommunicationRequest } from '@medplum/fhirtypes';
import { scheduleKeyedJob, type ChangeEvent, type EventHandler } from '../../store/index.ts';
import { DELIVERY_QUEUE, type EngagementDeps } from './engagement-deps.ts';
import type { DeliveryPayload } from './deliver-request.ts';

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
  if (request?.status !== 'active') return;
  const payload: DeliveryPayload = { request: event.id };
  await scheduleKeyedJob(deps.db, {
    queue: DELIVERY_QUEUE,
    key: `CommunicationRequest/${event.id}`,
    payload,
    runAt: request.occurrenceDateTime ?? deps.clock.now().toISOString(),
  });
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
  };
}
