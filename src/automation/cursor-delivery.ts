import { randomUUID } from 'node:crypto';
import {
  advanceCursor,
  leaseSubscription,
  readEventsAfterCursor,
  releaseSubscription,
  type ChangeEvent,
  type SqlDatabase,
} from '../store/index.ts';

/** One delivery run over a subscriber's own cursor (a Subscription, an HL7 destination). */
export interface CursorRun {
  db: SqlDatabase;
  /** The event-stream subscriber whose cursor this run moves. */
  subscriber: string;
  /** Events read per run (default 200). */
  batch?: number;
  now: Date;
  /** A backoff an early wake-up must not cut short: nothing runs before it. */
  notBefore?: string;
  /** An idle subscriber's job looks again this often (default a minute): a wake-up lost to a race costs at most this. */
  idleRecheckMs?: number;
  /** Delivers the events in order (see `deliverInOrder`); the reason of the first failure. */
  deliver(events: ChangeEvent[]): Promise<string | undefined>;
}

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
  if (!(await leaseSubscription(run.db, run.subscriber, { holder, seconds: 120 })))
    return { runAt: later(run.now, 1000) };
  try {
    const events = await readEventsAfterCursor(run.db, run.subscriber, run.batch ?? 200);
    const failure = await run.deliver(events);
    if (failure) return { failure };
    return { runAt: events.length > 0 ? run.now.toISOString() : later(run.now, run.idleRecheckMs ?? 60_000) };
  } finally {
    await releaseSubscription(run.db, run.subscriber, holder);
  }
}

/**
 * Handles each event in commit order and moves the cursor: past an event that delivered
 * something at once (a crash then must not send it again), past the rest at the end. A failure
 * stops there — later events wait behind it — and its reason is returned.
 */
export async function deliverInOrder(
  cursor: { db: SqlDatabase; subscriber: string; events: ChangeEvent[] },
  handle: (event: ChangeEvent) => Promise<{ failure?: string; delivered: boolean }>,
): Promise<string | undefined> {
  let passed: ChangeEvent | undefined;
  // The cursor's last move: the closing move is skipped when the last event already moved it
  // (one statement fewer per run of a busy subscription, whose last event is usually a delivery).
  let moved: ChangeEvent | undefined;
  const moveTo = async (event: ChangeEvent | undefined) => {
    if (!event || event === moved) return;
    await advanceCursor(cursor.db, cursor.subscriber, event);
    moved = event;
  };
  for (const event of cursor.events) {
    const { failure, delivered } = await handle(event);
    if (failure) {
      await moveTo(passed);
      return failure;
    }
    if (delivered) await moveTo(event);
    passed = event;
  }
  await moveTo(passed);
  return undefined;
}

export const later = (now: Date, ms: number): string => new Date(now.getTime() + ms).toISOString();
