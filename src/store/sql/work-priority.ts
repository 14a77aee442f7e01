import { AsyncLocalStorage } from 'node:async_hooks';

/** One run of background work: when its current turn began (`background-duty.ts`). */
export interface BackgroundLane {
  since: number | undefined;
}

const background = new AsyncLocalStorage<BackgroundLane>();

/**
 * Runs `work` as background work (the reactions, the journey sweep, statistics upkeep): every
 * query it makes, however deep, is known to be background, so that the embedded database can
 * serve waiting interactive requests (HTTP, MLLP) first, and background work takes turns of a
 * bounded share of the event loop while requests are in flight (`background-duty.ts`).
 */
export function runAsBackground<T>(work: () => Promise<T>): Promise<T> {
  if (background.getStore()) return work();
  const lane: BackgroundLane = { since: undefined };
  return background.run(lane, work).finally(() => runEnded?.(lane));
}

let runEnded: ((lane: BackgroundLane) => void) | undefined;

/** Calls `listener` with each run of background work as it ends (`background-duty.ts`: its turn ends). */
export function onBackgroundRunEnd(listener: (lane: BackgroundLane) => void): void {
  runEnded = listener;
}

/** Whether the caller runs inside `runAsBackground`. */
export function isBackgroundWork(): boolean {
  return background.getStore() !== undefined;
}

/** The run of background work the caller is part of (undefined outside `runAsBackground`). */
export function backgroundLane(): BackgroundLane | undefined {
  return background.getStore();
}

let inFlight = 0;
/** Wall time with a request in flight, up to when the last such stretch began. */
let inFlightMs = 0;
let inFlightSince = 0;
const quietListeners: (() => void)[] = [];

/**
 * Marks an interactive request (HTTP, an MLLP message) as begun; call the returned function
 * once it is answered. While any is in flight, background work starts no new slice on the
 * embedded database (the gaps between one request's queries are not free time), and takes
 * only its share of the event loop (`background-duty.ts`).
 */
export function beginInteractive(): () => void {
  if (inFlight++ === 0) inFlightSince = performance.now();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--inFlight > 0) return;
    inFlightMs += performance.now() - inFlightSince;
    for (const listener of quietListeners) listener();
  };
}

/** How many interactive requests are in flight in this process. */
export function interactiveInFlight(): number {
  return inFlight;
}

/** Wall time (ms) during which at least one interactive request was in flight, so far. */
export function interactiveWallMs(): number {
  return inFlightMs + (inFlight > 0 ? performance.now() - inFlightSince : 0);
}

/** Calls `listener` each time the last interactive request in flight ends. */
export function onInteractiveQuiet(listener: () => void): void {
  quietListeners.push(listener);
}

let statementsInFlight = 0;
/** Wall time with an interactive statement in flight, up to when the last such stretch began. */
let statementsMs = 0;
let statementsSince = 0;

/**
 * Marks an interactive statement (or transaction) on server PostgreSQL as sent; call the returned
 * function once it is answered. A request waiting on the database leaves the event loop idle,
 * but that is no room for background work: the database is what it waits on
 * (`background-duty.ts`).
 */
export function beginInteractiveStatement(): () => void {
  if (statementsInFlight++ === 0) statementsSince = performance.now();
  return () => {
    if (--statementsInFlight === 0) statementsMs += performance.now() - statementsSince;
  };
}

/** Wall time (ms) during which at least one interactive statement was in flight, so far. */
export function interactiveStatementMs(): number {
  return statementsMs + (statementsInFlight > 0 ? performance.now() - statementsSince : 0);
}
