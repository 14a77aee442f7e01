import { performance } from 'node:perf_hooks';
import type { Bundle, Subscription } from '@medplum/fhirtypes';
import {
  batchSubscriber,
  scheduleKeyedJobs,
  type ChangeEvent,
  type EventHandler,
} from '../../store/index.ts';
import { activateSubscription } from './activate-subscription.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, NOTIFY_QUEUE, type Criteria } from './subscription-model.ts';

/**
 * The change-event subscriber of the Subscriptions connector, off the write path: activates
 * new Subscriptions, and wakes the delivery job of each active Subscription whose criteria
 * name a type just written. It only wakes: each delivery job reads the stream itself, from its
 * own cursor, so a replayed or repeated wake-up delivers nothing twice.
 */
export function watchSubscriptions(
  deps: SubscriptionDeps,
  { activeKeptMs = ACTIVE_KEPT_MS }: { activeKeptMs?: number } = {},
): EventHandler {
  const active = new ActiveSubscriptions(deps, activeKeptMs);
  return {
    ...batchSubscriber({
      subscriber: 'fhir-subscriptions',
      batchSize: 500,
      handleBatch: (events) => onEvents({ deps, active }, events),
    }),
    // A lane with no active Subscription on the types just written reads nothing (the idle probe).
    resourceTypes: () => active.watchedTypes(),
  };
}

async function onEvents(
  watch: { deps: SubscriptionDeps; active: ActiveSubscriptions },
  events: ChangeEvent[],
): Promise<void> {
  const { deps, active } = watch;
  // In commit order: a subscription created in this batch is active before the events after it.
  for (const event of events)
    if (event.resourceType === 'Subscription' && event.action !== 'delete')
      await activateSubscription(deps, event);
  if (events.some((e) => e.resourceType === 'Subscription')) active.invalidate();
  const written = new Set(events.filter((e) => e.resourceType !== 'Subscription').map((e) => e.resourceType));
  if (written.size === 0) return;
  const runAt = deps.clock.now().toISOString();
  // Every wake-up of the batch in one statement (not one per Subscription): this runs on every
  // committed batch, beside ingest, and the upserts are alike.
  const woken = (await active.get()).filter(({ criteria }) => written.has(criteria.resourceType));
  await scheduleKeyedJobs(
    deps.db,
    woken.map(({ id }) => ({
      queue: NOTIFY_QUEUE,
      key: `Subscription/${id}`,
      payload: { subscription: id },
      runAt,
    })),
  );
}

/**
 * How long the list of active Subscriptions is kept. Within one worker a batch that wrote a
 * Subscription reads it again; with workers on several nodes, one may have activated (or
 * switched off) a Subscription in a batch this one never saw: its wake-ups then wait at most
 * this long (and its delivery job's own idle recheck finds the events regardless), and a
 * Subscription no longer active that is woken finds that out in its delivery run.
 */
const ACTIVE_KEPT_MS = 5_000;

/**
 * The active Subscriptions, kept between batches: the watcher runs on every committed batch,
 * beside ingest, and searching (and auditing) them each time was a search per batch whether
 * or not any Subscription exists.
 */
class ActiveSubscriptions {
  private kept:
    | { at: number; list: Promise<{ id: string; criteria: Criteria }[]>; read?: { criteria: Criteria }[] }
    | undefined;
  private readonly deps: SubscriptionDeps;
  private readonly keptMs: number;

  constructor(deps: SubscriptionDeps, keptMs: number) {
    this.deps = deps;
    this.keptMs = keptMs;
  }

  get(): Promise<{ id: string; criteria: Criteria }[]> {
    if (!this.kept || performance.now() - this.kept.at > this.keptMs) {
      const kept: NonNullable<typeof this.kept> = {
        at: performance.now(),
        list: activeSubscriptions(this.deps),
      };
      kept.list.then(
        (list) => (kept.read = list),
        () => this.kept === kept && this.invalidate(),
      );
      this.kept = kept;
    }
    return this.kept.list;
  }

  /**
   * Subscription and the types the active ones' criteria name, while the list is kept and read;
   * undefined otherwise (every type: the batch then reads the list again).
   */
  watchedTypes(): string[] | undefined {
    const kept = this.kept;
    if (!kept?.read || performance.now() - kept.at > this.keptMs) return undefined;
    return ['Subscription', ...new Set(kept.read.map(({ criteria }) => criteria.resourceType))];
  }

  invalidate(): void {
    this.kept = undefined;
  }
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
