import { isDatabaseUnavailable } from '../../kernel/errors.ts';
import type { SqlDatabase } from '../sql/database.ts';
import type { JobHandler } from './background-worker.ts';
import { claimJobs, completeJob, failJob, releaseJobs } from './job-queue.ts';

/** Which handlers the lane serves, and how many jobs it claims at a time. */
export interface JobLaneOptions {
  handlers: JobHandler[];
  batchSize: number;
}

/**
 * The job queues' lane of the background worker: claims due jobs, runs each, completes it or
 * records the failure (retry with backoff, or dead letter). When the database goes away in
 * the middle, that is no fault of the jobs: the one running and the rest of the batch go back
 * to the queue with their attempt uncounted. If the database cannot even take that, the lane
 * remembers them and puts them back first thing when it can — so the queue resumes where it
 * was, rather than after the claim's lease (60 s) runs out.
 */
export function jobLane(db: SqlDatabase, { handlers, batchSize }: JobLaneOptions): () => Promise<number> {
  const byQueue = new Map(handlers.map((handler) => [handler.queue, handler]));
  let owed: string[] = [];
  return async () => {
    if (owed.length > 0) {
      await releaseJobs(db, owed);
      owed = [];
    }
    const claimed = await claimJobs(db, { queues: [...byQueue.keys()], limit: batchSize, leaseSeconds: 60 });
    for (const [at, job] of claimed.entries()) {
      try {
        await byQueue.get(job.queue)!.handle(job);
        await completeJob(db, job.id);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) {
          await failJob(db, job, error);
          continue;
        }
        const unfinished = claimed.slice(at).map((each) => each.id);
        await releaseJobs(db, unfinished).catch(() => (owed = unfinished));
        throw error;
      }
    }
    return claimed.length;
  };
}
