import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work (the reactions, the journey sweep, statistics upkeep): every
 * query it makes, however deep, is known to be background, so that the embedded database can
 * serve waiting interactive requests (HTTP, MLLP) first. Server PostgreSQL ignores the mark.
 */
export function runAsBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller runs inside `runAsBackground`. */
export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}

let inFlight = 0;

/**
 * Marks an interactive request (HTTP, an MLLP message) as begun; call the returned function
 * once it is answered. While any is in flight, background work starts no new slice on the
 * embedded database (the gaps between one request's queries are not free time).
 */
export function beginInteractive(): () => void {
  inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
  };
}

/** How many interactive requests are in flight in this process. */
export function interactiveInFlight(): number {
  return inFlight;
}
