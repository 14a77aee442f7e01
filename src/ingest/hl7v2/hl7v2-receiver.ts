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

/**
 * The entry point for concurrent senders (the MLLP listener): messages that arrive while
 * earlier ones are being written wait and then go together, as one group commit. A lone
 * message goes at once (nothing else is being written, or was a moment ago), so latency at low
 * volume is unchanged. Each caller still gets its own ACK; per-connection order is kept by the
 * caller, which sends a connection's next message only after this one's ACK.
 */
export function createHl7v2Receiver(deps: Hl7v2Deps, options: ReceiverOptions = {}): Hl7v2Receiver {
  const maxBatch = options.maxBatch ?? 32;
  const maxInFlight = options.maxInFlight ?? 2;
  const waiting: Waiting[] = [];
  let inFlight = 0;
  const minBatch = options.minBatch ?? 4;
  const lingerMs = options.lingerMs ?? 2;
  let timer: NodeJS.Timeout | undefined;
  let lastFinished = -Infinity;
  // Busy: a batch is being written, or one just was (its senders are about to send again).
  const busy = () => inFlight > 0 || performance.now() - lastFinished < lingerMs;
  const startBatches = (force = false) => {
    while (inFlight < maxInFlight && waiting.length > 0) {
      if (!force && busy() && waiting.length < minBatch) {
        timer ??= setTimeout(() => {
          timer = undefined;
          startBatches(true);
        }, lingerMs);
        return;
      }
      force = false;
      clearTimeout(timer);
      timer = undefined;
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      receiveBatchDeferring(
        deps,
        batch.map((each) => each.item),
        { defer: true },
      )
        .then(
          (results) => {
            // Deferred messages wait for an earlier one of this batch: first in the next.
            const later = batch.filter((_, at) => results[at] === undefined);
            waiting.unshift(...later);
            batch.forEach((each, at) => {
              const settled = results[at];
              if (settled?.status === 'fulfilled') each.resolve(settled.value);
              else if (settled) each.reject(settled.reason);
            });
          },
          (error: unknown) => batch.forEach((each) => each.reject(error)),
        )
        .finally(() => {
          inFlight--;
          lastFinished = performance.now();
          startBatches();
        });
    }
  };
  return {
    receive: (raw, transport) =>
      new Promise<ReceiveResult>((resolve, reject) => {
        waiting.push({ item: { raw, transport }, resolve, reject });
        startBatches();
      }),
  };
}
