import { randomUUID } from 'node:crypto';
import type { Subscription } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import {
  advanceCursor,
  leaseSubscription,
  readEventsAfterCursor,
  releaseSubscription,
  type ChangeEvent,
  type Job,
  type JobFollowUp,
  type JobHandler,
} from '../../store/index.ts';
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
 * Events read per run. A run that found any looks again at once: events committed while it ran
 * found the job running (their wake-up was a no-op) and must not wait for the idle recheck.
 */
const BATCH = 200;
/** An idle subscription's job looks again this often: a wake-up lost to a race costs at most this. */
const IDLE_RECHECK_MS = 60_000;

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
  if (payload.retryAt && payload.retryAt > now.toISOString()) return { runAt: payload.retryAt };
  const target = await activeTarget(deps, payload.subscription);
  if (!target) return;
  const subscriber = subscriberOf(target.subscription.id);
  const holder = randomUUID();
  if (!(await leaseSubscription(deps.db, subscriber, { holder, seconds: 120 })))
    return { runAt: later(now, 1000) };
  try {
    const events = await readEventsAfterCursor(deps.db, subscriber, BATCH);
    const failed = await deliverInOrder(deps, { target, subscriber, events });
    if (failed) return await afterFailure(deps, { target, payload, reason: failed });
    const again = events.length > 0 ? now.toISOString() : later(now, IDLE_RECHECK_MS);
    return { runAt: again, payload: { subscription: target.subscription.id } };
  } finally {
    await releaseSubscription(deps.db, subscriber, holder);
  }
}

/** Delivers the matches in order, moving the cursor past each; the reason of the first failure. */
async function deliverInOrder(
  deps: SubscriptionDeps,
  run: { target: Target; subscriber: string; events: ChangeEvent[] },
): Promise<string | undefined> {
  const matches = await matchEvents(deps, run.target, run.events);
  if (typeof matches === 'string') return matches;
  let passed: ChangeEvent | undefined;
  for (const event of run.events) {
    const resource = event.action === 'delete' ? undefined : matches.get(event.id);
    if (resource && event.resourceType === criteriaOf(run.target.subscription).resourceType) {
      const failure = await notifyEvent(deps, run.target, { event, resource });
      if (failure) {
        if (passed) await advanceCursor(deps.db, run.subscriber, passed);
        return failure;
      }
      // Past a delivered notification at once: a crash now must not send it again.
      await advanceCursor(deps.db, run.subscriber, event);
    }
    passed = event;
  }
  if (passed) await advanceCursor(deps.db, run.subscriber, passed);
  return undefined;
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

const later = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();
