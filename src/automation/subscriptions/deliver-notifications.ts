import type { Subscription } from '@medplum/fhirtypes';

import type { ChangeEvent, Job, JobFollowUp, JobHandler, SubscriptionLease } from '../../store/index.ts';
import { deliverInOrder, later, runOnCursor, type CursorDelivery } from '../cursor-delivery.ts';
import { matchEvents, notifyEvent, type Target } from './notify-event.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, NOTIFY_QUEUE, subscriberOf } from './subscription-model.ts';
import { SubscriptionCache, versionOf } from './subscription-cache.ts';

/** A delivery job's payload: which Subscription, and the failures of its oldest notification so far. */
export interface NotifyPayload {
  subscription: string;
  /** The Subscription's version the last run delivered with (see `SubscriptionCache`). */
  version?: string;
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
  const cache = new SubscriptionCache(deps);
  return {
    queue: NOTIFY_QUEUE,
    // Subscriptions wait on their receivers' networks, not on each other.
    concurrency: 4,
    handle: (job: Job) => deliverPending({ deps, cache }, job.payload as NotifyPayload),
  };
}

async function deliverPending(
  run: { deps: SubscriptionDeps; cache: SubscriptionCache },
  payload: NotifyPayload,
): Promise<JobFollowUp | void> {
  const { deps, cache } = run;
  let target = await cache.target(payload.subscription, payload.version);
  if (!target) return;
  const subscriber = subscriberOf(target.subscription.id);
  const outcome = await runOnCursor({
    db: deps.db,
    subscriber,
    jobLeaseSeconds: deps.jobLeaseSeconds,
    now: deps.clock.now(),
    notBefore: payload.retryAt,
    deliver: async (events, lease) => {
      target = await cache.sameAsStream(target!, events);
      return target ? deliverMatches(deps, { target, subscriber, events, lease }) : {};
    },
  });
  if (!target) return;
  if ('failure' in outcome) return await afterFailure(deps, { target, payload, reason: outcome.failure });
  return {
    runAt: outcome.runAt,
    payload: { subscription: target.subscription.id, version: versionOf(target) },
  };
}

/** Delivers the matches in order; the cursor moves past them with the run's end (see `deliverInOrder`). */
async function deliverMatches(
  deps: SubscriptionDeps,
  run: { target: Target; subscriber: string; events: ChangeEvent[]; lease: SubscriptionLease },
): Promise<CursorDelivery> {
  const matches = await matchEvents(deps, run.target, run.events);
  if (typeof matches === 'string') return { failure: matches };
  const type = criteriaOf(run.target.subscription).resourceType;
  return deliverInOrder(
    { db: deps.db, subscriber: run.subscriber, events: run.events, lease: run.lease },
    async (event) => {
      const resource = event.action === 'delete' ? undefined : matches.get(event.id);
      if (!resource || event.resourceType !== type) return {};
      return { failure: await notifyEvent(deps, run.target, { event, resource }) };
    },
  );
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
  const version = versionOf(target);
  return { runAt: retryAt, payload: { subscription: target.subscription.id, version, failures, retryAt } };
}
