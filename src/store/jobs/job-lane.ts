import { isDatabaseUnavailable } from '../../kernel/errors.ts';
import { forEachConcurrently } from '../../kernel/concurrency.ts';
import type { SqlDatabase } from '../sql/database.ts';
import type { JobHandler } from './background-worker.ts';
import { groupCommit } from '../../kernel/group-commit.ts';
import { claimJobs, completeJobs, failJob, releaseJobs, type Job } from './job-queue.ts';
import { rescheduleJob } from './keyed-jobs.ts';

/** Which handlers the lane serves, how many jobs it claims at a time, and for how long. */
export interface JobLaneOptions {
  handlers: JobHandler[];
  batchSize: number;
  leaseSeconds: number;
}

/**
 * The job queues' lane of the background worker: claims due jobs, runs each (side by side up
 * to its handler's concurrency), then completes it, reschedules its follow-up or records the
 * failure (retry with backoff, or dead letter). When the database goes away in the middle,
 * that is no fault of the jobs: the unfinished ones go back to the queue with their attempt
 * uncounted. If the database cannot even take that, the lane remembers them and puts them back
 * first thing when it can — so the queue resumes where it was, not when the claims' leases run out.
 */
export function jobLane(db: SqlDatabase, options: JobLaneOptions): () => Promise<number> {
  const { handlers, batchSize, leaseSeconds } = options;
  const complete = completions(db);
  const queues = handlers.map((handler) => handler.queue);
  let owed: string[] = [];
  return async () => {
    if (owed.length > 0) {
      await releaseJobs(db, owed);
      owed = [];
    }
    const claimed = await claimJobs(db, { queues, limit: batchSize, leaseSeconds });
    const unfinished = new Set(claimed.map((job) => job.id));
    try {
      for (const handler of handlers) {
        const mine = claimed.filter((job) => job.queue === handler.queue);
        if (handler.prepare && mine.length > 1) await handler.prepare(mine).catch(() => undefined);
        await forEachConcurrently(mine, handler.concurrency ?? 1, async (job) => {
          await runJob({ db, complete }, handler, job);
          unfinished.delete(job.id);
        });
      }
      return claimed.length;
    } catch (error) {
      await releaseJobs(db, [...unfinished]).catch(() => (owed = [...unfinished]));
      throw error;
    }
  };
}

/**
 * Jobs that finish side by side are marked done together, one statement for all of them
 * (`kernel/group-commit.ts`); each handler's job counts as done only once that committed.
 */
function completions(db: SqlDatabase): (id: string) => Promise<void> {
  return groupCommit<string>({
    maxBatch: 1000,
    write: (ids) => completeJobs(db, ids),
    retryAlone: (error) => !isDatabaseUnavailable(error),
  });
}

/** One job: done, put back for its follow-up, or failed. Only the database going away escapes. */
async function runJob(
  lane: { db: SqlDatabase; complete: (id: string) => Promise<void> },
  handler: JobHandler,
  job: Job,
): Promise<void> {
  const { db } = lane;
  try {
    const followUp = await handler.handle(job);
    if (followUp) await rescheduleJob(db, job.id, followUp);
    else await lane.complete(job.id);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    await failJob(db, job, error);
  }
}
