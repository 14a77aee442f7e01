import type { SqlExecutor } from '../sql/database.ts';

/**
 * A leased job: long work that the process which starts it runs itself (not a worker lane),
 * renewing its lease while it runs. The row is the work's durable state: any process reads it
 * by key, and a lease that ran out means the process died, so another one takes the job over.
 * Bulk export keeps its jobs this way (a status URL answers from any process, after a restart).
 */
export interface LeasedJob<Payload = unknown> {
  id: string;
  status: 'running' | 'done' | 'dead';
  payload: Payload;
  /** How many processes have started it (1 for the first). */
  attempts: number;
  lastError?: string;
  /** Running, and its lease ran out: whoever ran it is gone. */
  leaseExpired: boolean;
}

interface LeasedRow {
  id: string;
  status: LeasedJob['status'];
  payload: unknown;
  attempts: number;
  last_error: string | null;
  lease_expired: boolean;
}

const columns = `id, status, payload, attempts, last_error,
  (status = 'running' AND locked_until < now()) AS lease_expired`;

/** Adds a job already running, with its lease, under a key that names it. */
export async function startLeasedJob(
  db: SqlExecutor,
  job: { queue: string; key: string; payload: unknown; leaseSeconds: number },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO job (queue, key, payload, status, attempts, max_attempts, locked_until)
     VALUES ($1, $2, $3, 'running', 1, 1, now() + make_interval(secs => $4)) RETURNING id`,
    [job.queue, job.key, JSON.stringify(job.payload), job.leaseSeconds],
  );
  return String(result.rows[0]!.id);
}

/**
 * Renews a running job's lease (and, given one, stores its new payload). False when the job is
 * no longer running here: it was cancelled (deleted) — the runner stops.
 */
export async function renewJobLease(
  db: SqlExecutor,
  renewal: { id: string; leaseSeconds: number; payload?: unknown },
): Promise<boolean> {
  const { id, leaseSeconds, payload } = renewal;
  const result = await db.query(
    `UPDATE job SET locked_until = now() + make_interval(secs => $2), payload = COALESCE($3::jsonb, payload)
     WHERE id = $1 AND status = 'running' RETURNING id`,
    [id, leaseSeconds, payload === undefined ? null : JSON.stringify(payload)],
  );
  return result.rows.length > 0;
}

/** The job of a queue with this key (the newest, should a key be reused), with its state. */
export async function readJobByKey<Payload>(
  db: SqlExecutor,
  target: { queue: string; key: string },
): Promise<LeasedJob<Payload> | undefined> {
  const result = await db.query<LeasedRow>(
    `SELECT ${columns} FROM job WHERE queue = $1 AND key = $2 ORDER BY id DESC LIMIT 1`,
    [target.queue, target.key],
  );
  return result.rows[0] ? toLeasedJob<Payload>(result.rows[0]) : undefined;
}

/**
 * Takes over running jobs whose lease ran out (their process died): each goes to one caller
 * only (`SKIP LOCKED`), with a new lease and one more attempt.
 */
export async function takeOverLeasedJobs<Payload>(
  db: SqlExecutor,
  claim: { queue: string; leaseSeconds: number; key?: string },
): Promise<LeasedJob<Payload>[]> {
  const result = await db.query<LeasedRow>(
    `UPDATE job SET attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
     WHERE id IN (
       SELECT id FROM job WHERE queue = $1 AND status = 'running' AND locked_until < now()
         AND ($3::text IS NULL OR key = $3)
       FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [claim.queue, claim.leaseSeconds, claim.key ?? null],
  );
  return result.rows.map((row) => toLeasedJob<Payload>(row));
}

/** Ends a running job: done with its final payload, or dead with the reason. */
export async function endLeasedJob(
  db: SqlExecutor,
  end: { id: string; payload: unknown; failure?: string },
): Promise<void> {
  await db.query(
    `UPDATE job SET status = $2, payload = $3::jsonb, last_error = $4, finished_at = now(), locked_until = NULL
     WHERE id = $1 AND status = 'running'`,
    [end.id, end.failure === undefined ? 'done' : 'dead', JSON.stringify(end.payload), end.failure ?? null],
  );
}

/** Removes a job, whatever its state (cancelled, or expired with its files). */
export async function deleteLeasedJob(db: SqlExecutor, id: string): Promise<void> {
  await db.query(`DELETE FROM job WHERE id = $1`, [id]);
}

function toLeasedJob<Payload>(row: LeasedRow): LeasedJob<Payload> {
  const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload;
  return {
    id: String(row.id),
    status: row.status,
    payload: payload as Payload,
    attempts: row.attempts,
    ...(row.last_error ? { lastError: row.last_error } : {}),
    leaseExpired: row.lease_expired,
  };
}
