import type { SqlDatabase } from '../sql/database.ts';
import { hasEventsAfterCursor } from './change-events.ts';
import { hasUnfinishedJobs } from './job-queue.ts';

/** One lane: a run of work that resolves to how many items it processed. */
export type Lane = () => Promise<number>;

/** The worker's lanes, with the subscribers and queues they serve (to ask what still waits). */
export interface WorkerLanes {
  lanes: Lane[];
  events: { subscriber: string }[];
  jobs: { queue: string }[];
}

/**
 * How often `drain()` runs a lane that found nothing while others still work. Without the pause
 * every idle event lane leased, read and released its cursor on every round of a busy job lane
 * (three statements each, ten lanes, hundreds of rounds a second); what the jobs write is found
 * by the next check, or by the full round that ends the drain.
 */
const IDLE_LANE_RECHECK_MS = 250;

/**
 * How long a drain waits for work it cannot read yet (events behind a transaction still running,
 * retries waiting for their backoff) once no lane finds any. Lanes still finding work go on past
 * it: a test that settles a busy platform (database-faults) needs every event handled.
 */
const WAITING_LIMIT_MS = 30_000;

/**
 * The longest a drain goes on while lanes still find work: a handler that requeues its own work
 * at once (a clock that disagrees with the database's) would otherwise hold it for ever. Minutes,
 * far beyond what settling a test platform or a CLI import takes.
 */
export const DRAIN_LIMIT_MS = 5 * 60_000;

/** What a drain runs, for how long at most, and whom it tells when it stops with work still found. */
export interface DrainRun {
  work: WorkerLanes;
  limitMs: number;
  onLimit?: (error: Error) => void;
}

/**
 * Runs every lane until none finds work and nothing waits — or 30 s pass with nothing found, or
 * `limitMs` in all, said to `onLimit` — and resolves to the items processed.
 */
export async function drainLanes(db: SqlDatabase, { work, limitMs, onLimit }: DrainRun): Promise<number> {
  let total = 0;
  const started = Date.now();
  let busy = work.lanes.map(() => true);
  let lastFullRound = 0;
  for (;;) {
    // A full round (every lane) when none is busy or the idle ones are due; else the busy ones.
    const full = !busy.includes(true) || Date.now() - lastFullRound >= IDLE_LANE_RECHECK_MS;
    if (full) lastFullRound = Date.now();
    const counts = await Promise.all(work.lanes.map((lane, i) => (full || busy[i] ? lane() : 0)));
    busy = counts.map((n) => n > 0);
    const done = counts.reduce((sum, n) => sum + n, 0);
    total += done;
    if (done > 0 && Date.now() - started > limitMs) {
      onLimit?.(new Error(`drain stopped after ${limitMs} ms with work still found (${total} items done)`));
      return total;
    }
    if (done > 0 || !full) continue;
    if (!(await hasWaitingWork(db, work)) || Date.now() - started > WAITING_LIMIT_MS) return total;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function hasWaitingWork(db: SqlDatabase, { events, jobs }: WorkerLanes): Promise<boolean> {
  // Nothing readable: finished, unless events wait behind a transaction still running
  // elsewhere in the database (they become readable when it ends).
  const waiting = await Promise.all(events.map((handler) => hasEventsAfterCursor(db, handler.subscriber)));
  // …or retries of failed handlers wait for their backoff time.
  const retrying =
    jobs.length > 0 &&
    (await hasUnfinishedJobs(
      db,
      jobs.map((job) => job.queue),
    ));
  return waiting.includes(true) || retrying;
}
