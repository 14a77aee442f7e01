import type { Bundle, Subscription } from '@medplum/fhirtypes';
import { batchSubscriber, scheduleKeyedJob, type ChangeEvent, type EventHandler } from '../../store/index.ts';
import { activateSubscription } from './activate-subscription.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, NOTIFY_QUEUE, type Criteria } from './subscription-model.ts';

/**
 * The change-event subscriber of the Subscriptions connector, off the write path: activates
 * new Subscriptions, and wakes the delivery job of each active Subscription whose criteria
 * name a type just written. It only wakes: each delivery job reads the stream itself, from its
 * own cursor, so a replayed or repeated wake-up delivers nothing twice.
 */
export function watchSubscriptions(deps: SubscriptionDeps): EventHandler {
  return batchSubscriber({
    subscriber: 'fhir-subscriptions',
    batchSize: 500,
    handleBatch: (events) => onEvents(deps, events),
  });
}

async function onEvents(deps: SubscriptionDeps, events: ChangeEvent[]): Promise<void> {
  // In commit order: a subscription created in this batch is active before the events after it.
  for (const event of events)
    if (event.resourceType === 'Subscription' && event.action !== 'delete')
      await activateSubscription(deps, event);
  const written = new Set(events.filter((e) => e.resourceType !== 'Subscription').map((e) => e.resourceType));
  if (written.size === 0) return;
  const runAt = deps.clock.now().toISOString();
  for (const { id, criteria } of await activeSubscriptions(deps))
    if (written.has(criteria.resourceType))
      await scheduleKeyedJob(deps.db, {
        queue: NOTIFY_QUEUE,
        key: `Subscription/${id}`,
        payload: { subscription: id },
        runAt,
      });
}

async function activeSubscriptions(deps: SubscriptionDeps): Promise<{ id: string; criteria: Criteria }[]> {
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'Subscription',
    params: [
      ['status', 'active'],
      ['_count', '1000'],
    ],
  });
  return (bundle.entry ?? []).flatMap((entry) => {
    const subscription = entry.resource as Subscription;
    try {
      return [{ id: subscription.id!, criteria: criteriaOf(subscription) }];
    } catch {
      return [];
    }
  });
}
