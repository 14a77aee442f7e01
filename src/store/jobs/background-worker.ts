import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../sql/database.ts';
import { runAsBackground } from '../sql/work-priority.ts';
import { backgroundYield } from '../sql/background-duty.ts';
import { leaseAndReadEvents, moveCursorAndRelease, type ChangeEvent } from './change-events.ts';
import { isDatabaseUnavailable as isUnavailable } from '../../kernel/errors.ts';
import { enqueueJob, type Job } from './job-queue.ts';
import type { JobFollowUp } from './keyed-jobs.ts';
import { jobLane } from './job-lane.ts';
import { idleEventLanes } from './idle-event-lanes.ts';
import { DRAIN_LIMIT_MS, drainLanes, type Lane } from './drain-lanes.ts';

/** Reacts to committed writes (DESIGN rule 3: modules react to events, not to each other). */
export interface EventHandler {
  subscriber: string;
  handle(event: ChangeEvent): Promise<void>;
  /**
   * Optional: the whole batch at once, for handlers that fold many events into less work (the
   * journey engine recomputes each person once per batch, not once per resource). If it fails,
   * each event of the batch is retried on its own through `handle`.
   */
  handleBatch?(events: ChangeEvent[]): Promise<void>;
  /** Events per batch for this handler (default: the worker's). Batch handlers want large ones. */
  batchSize?: number;
  /**
   * Optional: the resource types whose events it acts on now (undefined: every type). A batch
   * with none of them is not handed to it, its lane is not woken for them, and the worker's idle
   * probe moves its cursor past them: a lane with nothing to do for a batch reads and moves
   * nothing. Asked before each batch and each probe, so it may change (the types of the rules
   * or Subscriptions active now), but it must name every type it would act on.
   */
  resourceTypes?(): readonly string[] | undefined;
}

export interface JobHandler {
  queue: string;
  /** Done when it resolves; a follow-up puts the job back on its queue for that time. */
  handle(job: Job): Promise<void | JobFollowUp>;
  /** Jobs of this queue handled side by side (default 1): handlers that wait on the network want more. */
  concurrency?: number;
  /**
   * Optional: called with the jobs of its queue the lane claimed together (two or more), before
   * they run, to read what they need in one go. A failure is ignored: each job then reads its own.
   */
  prepare?(jobs: Job[]): Promise<void>;
}

export interface WorkerOptions {
  eventHandlers?: EventHandler[];
  jobHandlers?: JobHandler[];
  pollMs?: number;
  batchSize?: number;
  /**
   * How long a claimed job or a subscriber's batch stays with its worker (`JOB_LEASE_SECONDS`,
   * default 60 s): what a worker that died held is taken up again after it.
   */
  leaseSeconds?: number;
  /**
   * The longest `drain()` goes on while lanes still find work (default `DRAIN_LIMIT_MS`, 5 min):
   * a handler that requeues its own work at once would otherwise hold it for ever.
   */
  drainLimitMs?: number;
  /** Failures of the polling loops, and a drain stopped at its limit with work still found. */
  onError?: (error: unknown) => void;
}

export interface BackgroundWorker {
  /** Processes until nothing is due (tests and CLI imports use it to settle). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A polling loop per event subscriber and one for the job queues, side by side: a slow
 * subscriber (the journey engine recomputing people) never holds back a fast one (identity
 * matching Patients), and each loop goes on at once while it finds work. An event whose
 * handler fails does not block the stream: it becomes a job on `event:<subscriber>`, retried
 * with backoff and dead-lettered with its reason.
 */
export function startBackgroundWorker(db: SqlDatabase, options: WorkerOptions): BackgroundWorker {
  const holder = randomUUID();
  const events = options.eventHandlers ?? [];
  const jobs = [...(options.jobHandlers ?? []), ...events.map(retryHandlerFor)];
  const batchSize = options.batchSize ?? 100;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const lanes = [
    ...events.map((handler) =>
      serialized(() => pumpEvents(db, handler, { holder, batchSize, leaseSeconds })),
    ),
    ...(jobs.length > 0 ? [serialized(jobLane(db, { handlers: jobs, batchSize, leaseSeconds }))] : []),
  ];
  const polling = startPolling(db, {
    lanes: lanes.map((run, i) => ({ run, handler: events[i] })),
    options,
  });
  return {
    drain: () =>
      drainLanes(db, {
        work: { lanes, events, jobs },
        limitMs: options.drainLimitMs ?? DRAIN_LIMIT_MS,
        onLimit: options.onError,
      }),
    stop: () => polling.stop(),
  };
}

/** `JOB_LEASE_SECONDS`'s default, for callers given no setting. */
export const DEFAULT_LEASE_SECONDS = 60;

/** Retries of an event handler's failed events, as jobs on `event:<subscriber>`. */
function retryHandlerFor(handler: EventHandler): JobHandler {
  return {
    queue: `event:${handler.subscriber}`,
    handle: (job: Job) => handler.handle(job.payload as ChangeEvent),
  };
}

/** A lane of the polling loops: event lanes name their handler. */
interface PolledLane {
  run: Lane;
  handler?: EventHandler;
}

/**
 * A loop per lane, each pausing while it finds nothing — `pollMs`, or for an event lane until
 * `idleEventLanes` sees events for it — none at all when `pollMs` is 0.
 */
function startPolling(
  db: SqlDatabase,
  { lanes, options }: { lanes: PolledLane[]; options: WorkerOptions },
): { stop(): Promise<void> } {
  const pollMs = options.pollMs ?? 250;
  const pause = pauses();
  const idle = idleEventLanes(db, pollMs);
  let stopped = false;
  const loop = async ({ run, handler }: PolledLane): Promise<void> => {
    while (!stopped) {
      let failed = false;
      const done = await runAsBackground(run).catch((error: unknown) => {
        options.onError?.(error);
        failed = true;
        return 0;
      });
      if (done > 0 || stopped) continue;
      // After a failure (the database away) wait at least a second: no busy retry loop.
      if (failed || !handler) await pause.wait(failed ? Math.max(pollMs, 1000) : pollMs);
      else await idle.wait(handler.subscriber, handler.resourceTypes?.bind(handler));
    }
  };
  const loops = options.pollMs === 0 ? [] : lanes.map(loop);
  return {
    async stop() {
      stopped = true;
      pause.wakeAll();
      idle.wakeAll();
      await Promise.all(loops);
    },
  };
}

/**
 * One run at a time per lane: its polling loop and `drain()` never process the same events
 * side by side (they share the lease holder).
 */
function serialized(work: () => Promise<number>): () => Promise<number> {
  let last: Promise<number> = Promise.resolve(0);
  return () => (last = last.then(work, work));
}

/** Sleeps that `wakeAll` ends at once (so `stop()` does not wait out a poll interval). */
function pauses(): { wait(ms: number): Promise<void>; wakeAll(): void } {
  const sleeping = new Set<() => void>();
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleeping.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleeping.add(wake);
      }),
    wakeAll: () => [...sleeping].forEach((wake) => wake()),
  };
}

/** Which worker is reading, how many events per batch when the handler does not say, and for how long. */
export interface EventLaneOptions {
  holder: string;
  batchSize: number;
  /** The subscriber's lease per batch: a worker that died mid-batch is taken over after it. */
  leaseSeconds: number;
}

/**
 * One batch of a subscriber's events, under its lease: how many it handled (0 also when another
 * holds the lease, or when none was of its `resourceTypes`: the lane then waits for the idle
 * probe, which moves its cursor past such events without reading them). Two statements a batch:
 * lease and read, then move and release.
 */
export async function pumpEvents(
  db: SqlDatabase,
  handler: EventHandler,
  lane: EventLaneOptions,
): Promise<number> {
  return (await pumpBatch(db, handler, lane)).handled;
}

/** `pumpEvents`, also saying how many events it read (and moved its cursor past). */
export async function pumpBatch(
  db: SqlDatabase,
  handler: EventHandler,
  { holder, batchSize, leaseSeconds }: EventLaneOptions,
): Promise<{ read: number; handled: number }> {
  const limit = handler.batchSize ?? batchSize;
  const batch = await leaseAndReadEvents(db, handler.subscriber, { holder, seconds: leaseSeconds, limit });
  if (!batch) return { read: 0, handled: 0 };
  // Set once the batch is handled: the database going away in the middle moves nothing.
  let handled: ChangeEvent | undefined;
  // A batch with any event of its types is handed over whole, as before: an event may change
  // the types themselves (a rule written, then writes of the type it watches, in one batch).
  const types = handler.resourceTypes?.();
  const mine = !types || batch.some((event) => types.includes(event.resourceType)) ? batch : [];
  try {
    if (handler.handleBatch && mine.length > 0) await handleAsBatch(db, handler, mine);
    else
      for (const event of mine) {
        // Handlers event by event (identity matching, scheduling) run in turns (issue 17).
        await backgroundYield();
        await handleOne(db, handler, event);
      }
    handled = batch.at(-1);
    return { read: batch.length, handled: mine.length };
  } finally {
    await moveCursorAndRelease(db, handler.subscriber, { holder, last: handled });
  }
}

async function handleOne(db: SqlDatabase, handler: EventHandler, event: ChangeEvent): Promise<void> {
  try {
    await handler.handle(event);
  } catch (error) {
    // The database away is no fault of the event: the cursor stays, the batch is read again.
    if (isUnavailable(error)) throw error;
    await enqueueJob(db, { queue: `event:${handler.subscriber}`, payload: event });
  }
}

async function handleAsBatch(db: SqlDatabase, handler: EventHandler, batch: ChangeEvent[]): Promise<void> {
  try {
    await handler.handleBatch?.(batch);
  } catch (error) {
    if (isUnavailable(error)) throw error;
    for (const event of batch) await enqueueJob(db, { queue: `event:${handler.subscriber}`, payload: event });
  }
}
