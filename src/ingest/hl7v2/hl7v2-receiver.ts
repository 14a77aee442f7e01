import { receiveBatchDeferring, type Hl7v2Item } from './receive-batch.ts';
import type { Hl7v2Deps, ReceiveResult } from './receive-hl7v2-message.ts';

export interface Hl7v2Receiver {
  receive(raw: Buffer, transport: Hl7v2Item['transport']): Promise<ReceiveResult>;
}

export interface ReceiverOptions {
  /** Most messages written in one transaction. */
  maxBatch?: number;
  /** Transactions open at once: while one waits on the database, the next is being mapped. */
  maxInFlight?: number;
  /**
   * While another batch is being written, a new one waits for this many messages, or for
   * `lingerMs`, whichever comes first: the senders just acknowledged need a moment to send
   * their next message, and a batch of one would waste the round trips a batch shares.
   */
  minBatch?: number;
  lingerMs?: number;
}

interface Waiting {
  item: Hl7v2Item;
  resolve(result: ReceiveResult): void;
  reject(error: unknown): void;
}

/** One receiver's state: the messages waiting, the batches being written, the linger timer. */
interface ReceiverQueue {
  deps: Hl7v2Deps;
  limits: Required<ReceiverOptions>;
  waiting: Waiting[];
  /** Batches being written now. */
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
  /** When the last batch finished (`performance.now()`). */
  lastFinished: number;
}

/**
 * The entry point for concurrent senders (the MLLP listener): messages that arrive while
 * earlier ones are being written wait and then go together, as one group commit. A lone
 * message goes at once (nothing else is being written, or was a moment ago), so latency at low
 * volume is unchanged. Each caller still gets its own ACK; per-connection order is kept by the
 * caller, which sends a connection's next message only after this one's ACK.
 */
export function createHl7v2Receiver(deps: Hl7v2Deps, options: ReceiverOptions = {}): Hl7v2Receiver {
  const queue: ReceiverQueue = {
    deps,
    limits: {
      maxBatch: options.maxBatch ?? 32,
      maxInFlight: options.maxInFlight ?? 2,
      minBatch: options.minBatch ?? 4,
      lingerMs: options.lingerMs ?? 2,
    },
    waiting: [],
    inFlight: 0,
    timer: undefined,
    lastFinished: -Infinity,
  };
  return {
    receive: (raw, transport) =>
      new Promise<ReceiveResult>((resolve, reject) => {
        queue.waiting.push({ item: { raw, transport }, resolve, reject });
        startBatches(queue);
      }),
  };
}

// Busy: a batch is being written, or one just was (its senders are about to send again).
function isBusy(queue: ReceiverQueue): boolean {
  return queue.inFlight > 0 || performance.now() - queue.lastFinished < queue.limits.lingerMs;
}

/** Starts batches while there is room; a small one waits (up to `lingerMs`) while the receiver is busy. */
function startBatches(queue: ReceiverQueue, force = false): void {
  const { limits, waiting } = queue;
  while (queue.inFlight < limits.maxInFlight && waiting.length > 0) {
    if (!force && isBusy(queue) && waiting.length < limits.minBatch) {
      queue.timer ??= setTimeout(() => {
        queue.timer = undefined;
        startBatches(queue, true);
      }, limits.lingerMs);
      return;
    }
    force = false;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    writeBatch(queue, waiting.splice(0, limits.maxBatch));
  }
}

/** Writes one batch; when it is done, whatever waits meanwhile may start. */
function writeBatch(queue: ReceiverQueue, batch: Waiting[]): void {
  queue.inFlight++;
  receiveBatchDeferring(
    queue.deps,
    batch.map((each) => each.item),
    { defer: true },
  )
    .then(
      (results) => settleBatch(queue, batch, results),
      (error: unknown) => batch.forEach((each) => each.reject(error)),
    )
    .finally(() => {
      queue.inFlight--;
      queue.lastFinished = performance.now();
      startBatches(queue);
    });
}

/** Answers each sender of the batch with its own result. */
function settleBatch(
  queue: ReceiverQueue,
  batch: Waiting[],
  results: (PromiseSettledResult<ReceiveResult> | undefined)[],
): void {
  // Deferred messages wait for an earlier one of this batch: first in the next.
  const later = batch.filter((_, at) => results[at] === undefined);
  queue.waiting.unshift(...later);
  batch.forEach((each, at) => {
    const settled = results[at];
    if (settled?.status === 'fulfilled') each.resolve(settled.value);
    else if (settled) each.reject(settled.reason);
  });
}
