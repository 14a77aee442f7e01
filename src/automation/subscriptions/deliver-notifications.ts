import type { Subscription } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { ChangeEvent, Job, JobFollowUp, JobHandler } from '../../store/index.ts';
import { deliverInOrder, later, runOnCursor } from '../cursor-delivery.ts';
import { matchEvents, notifyEvent, type Target } from './notify-event.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, NOTIFY_QUEUE, ownerOf, subscriberOf } from './subscription-model.ts';

/** A delivery job's payload: which Subscription, and the failures of its oldest notification so far. */
export interface NotifyPayload {
  subscription: string;
  failures?: number;
  /** Not before this instant (a backoff that an early wake-up must not cut short). */
  retryAt?: string;
}

/**
 * The delivery job of one Subscription (one keyed job each, so one worker at a time): reads the
 * change events after the subscription's own cursor, in commit order, delivers each match and
 * moves the cursor past it. A failed delivery stops the run there — later events wait behind
 * it — and is retried with backoff; after `maxAttempts` the Subscription goes to `error`.
 */
export function deliverNotifications(deps: SubscriptionDeps): JobHandler {
  return {
    queue: NOTIFY_QUEUE,
    // Subscriptions wait on their receivers' networks, not on each other.
    concurrency: 4,
    handle: (job: Job) => deliverPending(deps, job.payload as NotifyPayload),
  };
}

async function deliverPending(deps: SubscriptionDeps, payload: NotifyPayload): Promise<JobFollowUp | void> {
  const now = deps.clock.now();
  const target = await activeTarget(deps, payload.subscription);
  if (!target) return;
  const subscriber = subscriberOf(target.subscription.id);
  const outcome = await runOnCursor({
    db: deps.db,
    subscriber,
    now,
    notBefore: payload.retryAt,
    deliver: (events) => deliverMatches(deps, { target, subscriber, events }),
  });
  if ('failure' in outcome) return await afterFailure(deps, { target, payload, reason: outcome.failure });
  return { runAt: outcome.runAt, payload: { subscription: target.subscription.id } };
}

/** Delivers the matches in order, moving the cursor past each; the reason of the first failure. */
async function deliverMatches(
  deps: SubscriptionDeps,
  run: { target: Target; subscriber: string; events: ChangeEvent[] },
): Promise<string | undefined> {
  const matches = await matchEvents(deps, run.target, run.events);
  if (typeof matches === 'string') return matches;
  const type = criteriaOf(run.target.subscription).resourceType;
  return deliverInOrder({ db: deps.db, subscriber: run.subscriber, events: run.events }, async (event) => {
    const resource = event.action === 'delete' ? undefined : matches.get(event.id);
    if (!resource || event.resourceType !== type) return { delivered: false };
    const failure = await notifyEvent(deps, run.target, { event, resource });
    return failure ? { failure, delivered: false } : { delivered: true };
  });
}

async function afterFailure(
  deps: SubscriptionDeps,
  failure: { target: Target; payload: NotifyPayload; reason: string },
): Promise<JobFollowUp | void> {
  const { target, payload, reason } = failure;
  const failures = (payload.failures ?? 0) + 1;
  if (failures >= deps.delivery.maxAttempts) {
    const error = `delivery failed ${failures} times, last: ${reason}`;
    await deps.repository.update<Subscription>({ ...target.subscription, status: 'error', error });
    return;
  }
  const retryAt = later(deps.clock.now(), deps.delivery.retryBaseSeconds * 1000 * 2 ** (failures - 1));
  return { runAt: retryAt, payload: { subscription: target.subscription.id, failures, retryAt } };
}

async function activeTarget(deps: SubscriptionDeps, id: string): Promise<Target | undefined> {
  const subscription = await deps.repository
    .read<Subscription>('Subscription', id)
    .catch(absentUnlessUnavailable);
  const owner = subscription && ownerOf(subscription);
  if (subscription?.status !== 'active' || !owner) return undefined;
  return { subscription: subscription as Target['subscription'], owner };
}
