/** How a group commit writes a batch, how large one may be, and when a failed one is split. */
export interface GroupCommitOptions<T> {
  /** Writes every item of the batch in one go (one statement, one transaction): all or nothing. */
  write(batch: T[]): Promise<void>;
  maxBatch: number;
  /**
   * Whether a failed batch of several items is written again one item at a time, so that one
   * caller's bad item fails only that caller. Say no when the failure may have committed (a
   * lost connection): then every caller of the batch gets the error.
   */
  retryAlone(error: unknown): boolean;
}

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while a write is in flight are queued and written together
 * by the next one, so N concurrent callers cost one transaction, not N in a row. Each caller's
 * promise settles only when its own item was written (or failed); with nothing in flight an
 * item goes at once, so a lone caller waits no longer than writing it alone. One write is in
 * flight at a time, in arrival order.
 */
export function groupCommit<T>(options: GroupCommitOptions<T>): (item: T) => Promise<void> {
  let queue: Pending<T>[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      await writeBatch(options, batch);
    }
    writing = false;
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

async function writeBatch<T>(options: GroupCommitOptions<T>, batch: Pending<T>[]): Promise<void> {
  try {
    await options.write(batch.map((pending) => pending.item));
    for (const pending of batch) pending.resolve();
  } catch (error) {
    if (batch.length === 1 || !options.retryAlone(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) await writeBatch(options, [pending]);
  }
}
