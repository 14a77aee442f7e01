import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  backgroundYield,
  leaseAndReadEvents,
  moveCursorAndRelease,
  moveCursorAndRenew,
  type ChangeEvent,
  type SqlDatabase,
  type SubscriptionLease,
} from '../store/index.ts';

/** One delivery run over a subscriber's own cursor (a Subscription, an HL7 destination). */
export interface CursorRun {
  db: SqlDatabase;
  /** The event-stream subscriber whose cursor this run moves. */
  subscriber: string;
  /** Events read per run (default 200). */
  batch?: number;
  /** The lease of the job this run is (`JOB_LEASE_SECONDS`): the cursor's follows it. */
  jobLeaseSeconds: number;
  now: Date;
  /** A backoff an early wake-up must not cut short: nothing runs before it. */
  notBefore?: string;
  /** An idle subscriber's job looks again this often (default a minute): a wake-up lost to a race costs at most this. */
  idleRecheckMs?: number;
  /** Delivers the events in order (see `deliverInOrder`), under the run's lease on the cursor. */
  deliver(events: ChangeEvent[], lease: SubscriptionLease): Promise<CursorDelivery>;
}

/**
 * What a delivery did: the reason of its first failure, and the last event it passed whose
 * cursor move is still owed (made with the lease's release, one statement for both).
 */
export interface CursorDelivery {
  failure?: string;
  passed?: ChangeEvent;
}

/**
 * A delivery's lease on its cursor (a Subscription's, an HL7 destination's): twice the lease of
 * the job it runs in (`JOB_LEASE_SECONDS`), 120 s by default. Longer than the job's, so a run
 * that outlives its job's lease (a slow receiver) still holds the cursor when another worker
 * takes the job over: that one finds the cursor held and looks again, instead of sending twice.
 */
export const cursorLeaseSeconds = (jobLeaseSeconds: number): number => 2 * jobLeaseSeconds;

/** A failure to retry with backoff, or when to run again (with the payload as it is). */
export type CursorOutcome = { failure: string } | { runAt: string };

/**
 * Leases the subscriber (one run at a time, whatever the workers), reads the events after its
 * cursor and delivers them. Another run holding the lease → look again in a second; events
 * found → look again at once (events committed meanwhile found the job running, their wake-up
 * was a no-op); none → after the idle recheck.
 */
export async function runOnCursor(run: CursorRun): Promise<CursorOutcome> {
  if (run.notBefore && run.notBefore > run.now.toISOString()) return { runAt: run.notBefore };
  const holder = randomUUID();
  const lease = { holder, seconds: cursorLeaseSeconds(run.jobLeaseSeconds) };
  const events = await leaseAndReadEvents(run.db, run.subscriber, { ...lease, limit: run.batch ?? 200 });
  if (!events) return { runAt: later(run.now, 1000) };
  let passed: ChangeEvent | undefined;
  try {
    const delivery = await run.deliver(events, lease);
    passed = delivery.passed;
    if (delivery.failure) return { failure: delivery.failure };
    return { runAt: events.length > 0 ? run.now.toISOString() : later(run.now, run.idleRecheckMs ?? 60_000) };
  } finally {
    await moveCursorAndRelease(run.db, run.subscriber, { holder, last: passed });
  }
}

/**
 * Handles each event in commit order. The cursor move past what was handled is owed
 * (`passed`), for `runOnCursor` to make as it releases the lease: one statement per run, not
 * one per notification (with 20 Subscriptions those moves were the reactions' most frequent
 * statement). A crash before that move sends the run's notifications again, each with its
 * `Idempotency-Key`; a run that goes on for `CURSOR_MOVE_EVERY_MS` (slow receivers) moves the
 * cursor on the way and renews its lease, so a crash repeats at most that much; a run that finds
 * its lease taken (it ran out while receivers were slow) stops there, owing nothing. A failure
 * stops there — later events wait behind it — with its reason; an exception moves the cursor past
 * what was delivered before it goes on up, so the retry does not send those again.
 */
export async function deliverInOrder(
  cursor: {
    db: SqlDatabase;
    subscriber: string;
    events: ChangeEvent[];
    lease: SubscriptionLease;
    moveEveryMs?: number;
  },
  handle: (event: ChangeEvent) => Promise<{ failure?: string }>,
): Promise<CursorDelivery> {
  // The last event passed that the cursor has not been moved to yet.
  let passed: ChangeEvent | undefined;
  let movedAt = performance.now();
  const moveTo = (last: ChangeEvent) =>
    moveCursorAndRenew(cursor.db, cursor.subscriber, { ...cursor.lease, last });
  try {
    for (const event of cursor.events) {
      // Building and sending each notification is background work's JavaScript: in turns (issue 17).
      await backgroundYield();
      const { failure } = await handle(event);
      if (failure) return { failure, passed };
      passed = event;
      if (performance.now() - movedAt >= (cursor.moveEveryMs ?? CURSOR_MOVE_EVERY_MS)) {
        const stillHeld = await moveTo(event);
        [passed, movedAt] = [undefined, performance.now()];
        if (!stillHeld) return {};
      }
    }
  } catch (error) {
    if (passed) await moveTo(passed).catch(() => undefined);
    throw error;
  }
  return { passed };
}

/** How long a delivery run goes on before moving its cursor on the way (well inside its lease). */
export const CURSOR_MOVE_EVERY_MS = 5_000;

export const later = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();
