import { isDatabaseUnavailable } from '../../kernel/errors.ts';

/** A file tried again because the database was unavailable (told before the wait). */
export interface ImportRetry {
  file: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  attempts: number;
  error: unknown;
}

/**
 * How a file's writes are retried when the database is unavailable for a moment: under load a
 * pooled connection can take longer than its 5 s to open, and the file then failed whole. A
 * retry writes nothing twice: an import is safe to run again (stable ids, unchanged content
 * skipped), so a write that did commit before its answer was lost is found unchanged.
 */
export interface RetryPolicy {
  /** Tries in all (3 by default). */
  attempts?: number;
  /** The wait before the first retry, doubled before each next (1 s by default). */
  delayMs?: number;
  onRetry?: (retry: ImportRetry) => void;
}

/** Runs `work`; while it fails with DATABASE_UNAVAILABLE, again after a wait, at most `attempts` times. */
export async function retryUnavailable<T>(
  file: string,
  policy: RetryPolicy,
  work: () => Promise<T>,
): Promise<T> {
  const attempts = policy.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= attempts) throw error;
      policy.onRetry?.({ file, attempt, attempts, error });
      const wait = (policy.delayMs ?? 1_000) * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
