import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work (the reactions, the journey sweep, statistics upkeep): every
 * query it makes, however deep, is known to be background, so that the embedded database can
 * serve waiting interactive requests (HTTP, MLLP) first, and server PostgreSQL's statements
 * of background work wait while requests are in flight (`interactiveQuiet`).
 */
export function runAsBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller runs inside `runAsBackground`. */
export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}

let inFlight = 0;
/** Background work waiting for the interactive requests in flight to end (`interactiveQuiet`). */
let waiting: (() => void)[] = [];

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
    if (inFlight === 0 && waiting.length > 0) wakeWaiting();
  };
}

/** How many interactive requests are in flight in this process. */
export function interactiveInFlight(): number {
  return inFlight;
}

function wakeWaiting(): void {
  const woken = waiting;
  waiting = [];
  for (const wake of woken) wake();
}

/**
 * Resolves when no interactive request is in flight, or after `maxWaitMs` at most (so background
 * work is slowed by a steady interactive load, never stopped). Server PostgreSQL's pool has
 * connections to spare; what the reactions take from requests there is CPU, Node's and the
 * database's, so a background statement waits for its turn before it starts.
 */
export function interactiveQuiet(maxWaitMs: number): Promise<void> | undefined {
  if (inFlight === 0) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting = waiting.filter((wake) => wake !== done);
      resolve();
    }, maxWaitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    waiting.push(done);
  });
}
