import type { SqlExecutor } from '../sql/database.ts';
import { ThroughlineError, isThroughlineError } from '../../kernel/errors.ts';

export interface Job<Payload = unknown> {
  id: string;
  queue: string;
  payload: Payload;
  attempts: number;
  maxAttempts: number;
}

export interface DeadJob extends Job {
  lastError: string;
  finishedAt: string;
}

/** A job to add: its queue, and the payload its handler gets (stored as JSON). */
export interface NewJob {
  queue: string;
  payload: unknown;
}

export interface EnqueueOptions {
  /** Earliest time to run (ISO instant); default now. */
  runAt?: string;
  maxAttempts?: number;
}

interface JobRow {
  id: string;
  queue: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error?: string;
  finished_at?: string;
}

/**
 * Adds a job. Pass the open transaction to enqueue atomically with the write that causes it
 * (the outbox pattern): the job exists if and only if the write committed.
 */
export async function enqueueJob(
  db: SqlExecutor,
  job: NewJob,
  options: EnqueueOptions = {},
): Promise<string> {
  const { queue, payload } = job;
  const result = await db.query<{ id: string }>(
    `INSERT INTO job (queue, payload, run_at, max_attempts) VALUES ($1, $2, COALESCE($3::timestamptz, now()), $4) RETURNING id`,
    [queue, JSON.stringify(payload), options.runAt ?? null, options.maxAttempts ?? 5],
  );
  return result.rows[0]!.id;
}

/** Which queues to claim from, how many jobs at most, and for how long the lease holds. */
export interface JobClaim {
  queues: string[];
  limit: number;
  leaseSeconds: number;
}

/**
 * Claims up to `limit` due jobs with a lease. `SKIP LOCKED` lets any number of workers on any
 * number of nodes claim concurrently without taking the same job; a worker that dies leaves a
 * lease that expires, and the job is claimed again.
 */
export async function claimJobs(db: SqlExecutor, claim: JobClaim): Promise<Job[]> {
  const { queues, limit, leaseSeconds } = claim;
  const result = await db.query<JobRow>(
    `UPDATE job SET status = 'running', attempts = attempts + 1, locked_until = now() + make_interval(secs => $3)
     WHERE id IN (
       SELECT id FROM job WHERE queue = ANY($1) AND run_at <= now()
         AND (status = 'ready' OR (status = 'running' AND locked_until < now()))
       ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, queue, payload, attempts, max_attempts`,
    [queues, limit, leaseSeconds],
  );
  return result.rows.map(toJob);
}

/** Marks many jobs done in one statement (their handlers finished side by side). */
export async function completeJobs(db: SqlExecutor, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE job SET status = 'done', finished_at = now(), locked_until = NULL WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

/**
 * A failed attempt: retried with exponential backoff, or dead-lettered with its reason when
 * attempts are used up or the error is one a retry cannot fix (a 4xx-class coded error).
 */
export async function failJob(db: SqlExecutor, job: Job, error: unknown): Promise<'retry' | 'dead'> {
  const permanent = isThroughlineError(error) && error.httpStatus < 500;
  const reason = describe(error);
  if (permanent || job.attempts >= job.maxAttempts) {
    await db.query(
      `UPDATE job SET status = 'dead', last_error = $2, finished_at = now(), locked_until = NULL WHERE id = $1`,
      [job.id, reason],
    );
    return 'dead';
  }
  const delaySeconds = Math.min(2 ** job.attempts, 300);
  await db.query(
    `UPDATE job SET status = 'ready', last_error = $2, locked_until = NULL, run_at = now() + make_interval(secs => $3) WHERE id = $1`,
    [job.id, reason, delaySeconds],
  );
  return 'retry';
}

/**
 * Puts claimed jobs back as they were before the claim (the attempt is not counted): for
 * work interrupted by the database going away, which says nothing about the jobs themselves.
 */
export async function releaseJobs(db: SqlExecutor, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE job SET status = 'ready', attempts = greatest(attempts - 1, 0), locked_until = NULL
     WHERE id = ANY($1::bigint[]) AND status = 'running'`,
    [ids],
  );
}

export async function listDeadJobs(db: SqlExecutor, queue?: string): Promise<DeadJob[]> {
  const result = await db.query<JobRow>(
    `SELECT id, queue, payload, attempts, max_attempts, last_error, finished_at FROM job
     WHERE status = 'dead' AND ($1::text IS NULL OR queue = $1) ORDER BY finished_at DESC, id DESC LIMIT 500`,
    [queue ?? null],
  );
  return result.rows.map((row) => ({
    ...toJob(row),
    lastError: row.last_error ?? '',
    finishedAt: String(row.finished_at),
  }));
}

/** Puts a dead-lettered job back on its queue (after the cause was fixed). */
export async function retryDeadJob(db: SqlExecutor, id: string): Promise<void> {
  const result = await db.query(
    `UPDATE job SET status = 'ready', attempts = 0, run_at = now(), finished_at = NULL WHERE id = $1 AND status = 'dead' RETURNING id`,
    [id],
  );
  if (result.rows.length === 0) throw new ThroughlineError('NOT_FOUND', `Dead job ${id} not found`);
}

function toJob(row: JobRow): Job {
  const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload;
  return {
    id: String(row.id),
    queue: row.queue,
    payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  };
}

function describe(error: unknown): string {
  if (isThroughlineError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Whether any job of these queues is still to run soon: due, running, or waiting for a retry
 * within the next 10 seconds. Jobs scheduled further ahead (a reminder due in three days) are
 * not unfinished work for whoever settles the queue.
 */
export async function hasUnfinishedJobs(db: SqlExecutor, queues: string[]): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM job WHERE queue = ANY($1) AND status IN ('ready', 'running')
       AND run_at <= now() + interval '10 seconds' LIMIT 1`,
    [queues],
  );
  return result.rows.length > 0;
}
