import { AsyncResource } from 'node:async_hooks';

/**
 * The context the writes run in: the module's own, not the first caller's. A batch is shared, so
 * it must not inherit one caller's marks — a batch started by background work would otherwise
 * make the requests that joined it wait as background work does (server PostgreSQL and the
 * embedded database hold background statements back while requests are in flight: a request
 * waiting for its own audit row would wait for itself).
 */
const sharedScope = new AsyncResource('group-commit');

/** How a group commit writes a batch, how large one may be, and when a failed one is split. */
export interface GroupCommitOptions<T, R = void> {
  /**
   * Writes every item of the batch in one go (one statement, one transaction): all or nothing;
   * what each item came to, in the batch's order (nothing when callers need no answer).
   */
  write(batch: T[]): Promise<R[] | void>;
  maxBatch: number;
  /**
   * Whether a failed batch of several items is written again one item at a time, so that one
   * caller's bad item fails only that caller. Say no when the failure may have committed (a
   * lost connection): then every caller of the batch gets the error.
   */
  retryAlone(error: unknown): boolean;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while a write is in flight are queued and written together
 * by the next one, so N concurrent callers cost one transaction, not N in a row. Each caller's
 * promise settles only when its own item was written (or failed). With nothing in flight the
 * first write waits for the rest of the current turn of the event loop (`setImmediate`): callers
 * that one answer woke together (twenty deliveries a shared search returned, each asking its
 * next read) go as one write rather than the first alone and the rest after it — a lone caller
 * waits microseconds more (the outreach bench: statements per message 3.4 → about 2). One write
 * is in flight at a time, in arrival order.
 */
export function groupCommit<T, R = void>(options: GroupCommitOptions<T, R>): (item: T) => Promise<R> {
  let queue: Pending<T, R>[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      await writeBatch(options, batch);
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) sharedScope.runInAsyncScope(() => void drain());
    });
}

async function writeBatch<T, R>(options: GroupCommitOptions<T, R>, batch: Pending<T, R>[]): Promise<void> {
  try {
    const results = await options.write(batch.map((pending) => pending.item));
    batch.forEach((pending, at) => pending.resolve(results?.[at] as R));
  } catch (error) {
    if (batch.length === 1 || !options.retryAlone(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) await writeBatch(options, [pending]);
  }
}
