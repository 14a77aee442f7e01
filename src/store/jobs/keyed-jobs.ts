import type { SqlExecutor } from '../sql/database.ts';
import type { NewJob } from './job-queue.ts';

/** A job that is one of a kind: at most one pending per queue and key. */
export interface KeyedJob extends NewJob {
  key: string;
  /**
   * When it is due (ISO instant); absent: now by the database's clock, the one that claims it
   * (work found due by an injected clock that runs ahead of the database's, as in tests).
   */
  runAt?: string;
}

/**
 * Adds a keyed job, or, when one with the same key is already waiting, moves it earlier if
 * this one is due sooner (a job already running is left alone: its handler reads the current
 * state when it runs). One pending job per key means one worker at a time acts on the thing
 * the key names, however many writes asked for it.
 */
export async function scheduleKeyedJob(db: SqlExecutor, job: KeyedJob): Promise<void> {
  await db.query(
    `INSERT INTO job (queue, payload, run_at, key) VALUES ($1, $2, COALESCE($3::timestamptz, now()), $4)
     ON CONFLICT (queue, key) WHERE key IS NOT NULL AND status IN ('ready', 'running')
     DO UPDATE SET run_at = LEAST(job.run_at, EXCLUDED.run_at) WHERE job.status = 'ready'`,
    [job.queue, JSON.stringify(job.payload), job.runAt ?? null, job.key],
  );
}

/**
 * `scheduleKeyedJob` for many jobs in one statement (a reaction scheduling a whole batch of
 * events): the same rule per key. Keys repeated in the list are folded first, keeping the
 * soonest, since one statement may not touch the same pending row twice.
 */
export async function scheduleKeyedJobs(db: SqlExecutor, jobs: KeyedJob[]): Promise<void> {
  const byKey = new Map<string, KeyedJob>();
  for (const job of jobs) {
    const seen = byKey.get(`${job.queue}\n${job.key}`);
    if (!seen || dueAt(job) < dueAt(seen)) byKey.set(`${job.queue}\n${job.key}`, job);
  }
  if (byKey.size === 0) return;
  const unique = [...byKey.values()];
  await db.query(
    `INSERT INTO job (queue, payload, run_at, key)
     SELECT queue, payload, COALESCE(run_at, now()), key
       FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[], $4::text[]) AS each(queue, payload, run_at, key)
     ON CONFLICT (queue, key) WHERE key IS NOT NULL AND status IN ('ready', 'running')
     DO UPDATE SET run_at = LEAST(job.run_at, EXCLUDED.run_at) WHERE job.status = 'ready'`,
    [
      unique.map((job) => job.queue),
      unique.map((job) => JSON.stringify(job.payload)),
      unique.map((job) => job.runAt ?? null),
      unique.map((job) => job.key),
    ],
  );
}

/** When a job is due, for folding repeated keys (absent: now, before any later time). */
function dueAt(job: KeyedJob): number {
  return job.runAt ? Date.parse(job.runAt) : Number.NEGATIVE_INFINITY;
}

/** What a job handler asks for when the work is not finished: run again at `runAt`. */
export interface JobFollowUp {
  runAt: string;
  /** The payload of the next run (default: unchanged). */
  payload?: unknown;
}

/**
 * Puts a running job back on its queue for later — a deferral or a retry whose time the
 * handler knows (quiet hours, a provider's Retry-After) — keeping its key, so no other job for
 * the same key can start in between. Attempts start again: this is not a failure of the queue.
 */
export async function rescheduleJob(db: SqlExecutor, id: string, followUp: JobFollowUp): Promise<void> {
  await db.query(
    `UPDATE job SET status = 'ready', run_at = $2::timestamptz, attempts = 0, locked_until = NULL,
       payload = COALESCE($3::jsonb, payload) WHERE id = $1`,
    [id, followUp.runAt, followUp.payload === undefined ? null : JSON.stringify(followUp.payload)],
  );
}
