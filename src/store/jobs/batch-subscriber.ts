import type { EventHandler } from './background-worker.ts';
import type { ChangeEvent } from './change-events.ts';

export interface BatchSubscriberOptions {
  subscriber: string;
  /** Events per batch: large for handlers that fold many events into one piece of work. */
  batchSize: number;
  handleBatch: (events: ChangeEvent[]) => Promise<void>;
}

/**
 * A change-event subscriber whose work is the same for one event as for many: the worker's
 * retry of a failed batch, event by event, runs it on a batch of one.
 */
export function batchSubscriber({
  subscriber,
  batchSize,
  handleBatch,
}: BatchSubscriberOptions): EventHandler {
  return { subscriber, batchSize, handle: (event) => handleBatch([event]), handleBatch };
}
