import { performance } from 'node:perf_hooks';
import {
  backgroundLane,
  interactiveInFlight,
  interactiveStatementMs,
  onBackgroundRunEnd,
  onInteractiveQuiet,
  type BackgroundLane,
} from './work-priority.ts';

/**
 * Background work's duty cycle while interactive requests are in flight (issue 17).
 *
 * The reactions run in the write path's own Node process, and its one event loop is the write
 * path's bottleneck: the JavaScript a reaction runs on a batch (FHIRPath over 500 events, the
 * runs it performs, the notifications it builds) is taken from the requests. Holding back the
 * start of each background statement until no request is in flight (200 ms at most) did not
 * bound that: with 8 requests at once there is rarely a quiet moment, so every lane waited
 * 200 ms, then ran its JavaScript in full, several lanes at once.
 *
 * So background work runs in **turns**, and a turn ends at a wait point: a background statement
 * (`sql/postgres.ts`, `sql/priority-gate.ts`) or `backgroundYield()` in a JS-heavy loop once
 * the turn has run `SLICE_MS`. While any request is in flight, one turn at a time, and after a
 * turn that held the loop d ms the next starts no sooner than d × (1 − share) / share later, so
 * background takes about `share` of the loop. That is the bound when the loop is busy; when the
 * loop was mostly idle since the last turn (a screen polling for a reaction's effect keeps a
 * request in flight, but leaves the loop free), the next turn goes as soon as the loop has been
 * idle as long as the last turn ran: the reactions must not crawl behind a refreshing screen.
 * With no request in flight every turn goes at once, as before. No wait is longer than
 * `MAX_WAIT_MS` per turn of background work as a whole: a steady load slows the reactions,
 * never stops them, and they catch up after it.
 */

/** A turn of this length or more ends at the next `backgroundYield()` (the request waits at most about this). */
const SLICE_MS = 3;
/** The longest gap between two background turns while requests are in flight. */
const MAX_WAIT_MS = 200;
/**
 * A turn still held after this long is waiting on something that is no wait point (a webhook's
 * answer), not holding the loop (a timer ran): the next turn need not wait for it.
 */
const LAPSE_MS = 50;
/** Below this event-loop utilization since the last turn, the loop had room: the next turn goes early. */
const IDLE_LOOP_UTILIZATION = 0.5;

let share = 0.1;

/** The share of the event loop background work takes while requests are in flight (0 < share ≤ 1). */
export function setBackgroundShare(value: number): void {
  if (!(value > 0 && value <= 1)) throw new Error(`background share must be in (0, 1], got ${value}`);
  share = value;
}

interface Waiter {
  lane: BackgroundLane;
  go(): void;
}

const state = {
  /** The lane whose turn runs now (while requests are in flight), and since when. */
  owner: undefined as BackgroundLane | undefined,
  ownerSince: 0,
  /** When the next turn is due at the latest share. */
  nextAt: Number.NEGATIVE_INFINITY,
  /** When the last turn ended, and how long it ran. */
  lastEnd: Number.NEGATIVE_INFINITY,
  lastTurnMs: 0,
  loopAtLastEnd: performance.eventLoopUtilization(),
  statementMsAtLastEnd: 0,
  waiting: [] as Waiter[],
  timer: undefined as NodeJS.Timeout | undefined,
};

/** Time spent in background turns while requests were in flight (the measure of issue 17). */
const tally = { turns: 0, turnMs: 0 };

/** How many turns background work has run while requests were in flight, and for how long. */
export function backgroundTurnTally(): { turns: number; turnMs: number } {
  return { ...tally };
}

/**
 * A wait point: ends the caller's turn and, while requests are in flight, resolves when its next
 * turn starts (undefined, the common case, when it may go on at once). Outside background work
 * it does nothing.
 */
export function nextBackgroundTurn(): Promise<void> | undefined {
  const lane = backgroundLane();
  if (!lane) return undefined;
  endTurn(lane);
  if (interactiveInFlight() === 0) {
    lane.since = performance.now();
    return undefined;
  }
  return new Promise<void>((go) => {
    state.waiting.push({ lane, go });
    dispatch();
  });
}

/** Ends the caller's turn without waiting (a statement goes out; its answer waits for the next turn). */
export function endBackgroundTurn(): void {
  const lane = backgroundLane();
  if (lane) endTurn(lane);
}

/**
 * A round trip of background work (a statement, a notification sent): the turn ends as it goes
 * out and its answer waits for the next one. The wait is for the JavaScript run on the answer,
 * the cost the requests feel; the turn is not held over the round trip.
 */
export async function backgroundRoundTrip<T>(send: () => Promise<T>): Promise<T> {
  endBackgroundTurn();
  const answer = await send();
  const turn = nextBackgroundTurn();
  if (turn) await turn;
  return answer;
}

/**
 * A statement of background work: it is sent within a turn (a run that holds none waits for
 * one), and the turn is held over its round trip, so the database's time counts toward
 * background's share as the JavaScript's does. The requests wait behind background statements
 * for the database's CPU, disk and locks — on a small machine the very cores Node runs on — and
 * a share of the event loop alone left that unbounded: with 50 rules on, the write path's
 * PostgreSQL CPU per HL7 message rose a third while Node's stayed flat (issue 17). The answer
 * waits for the next turn, as at every wait point. (A notification to a receiver elsewhere is a
 * `backgroundRoundTrip`: its answer's time is not ours.)
 */
export async function backgroundStatement<T>(send: () => Promise<T>): Promise<T> {
  const lane = backgroundLane();
  if (lane && lane.since === undefined) {
    const turn = nextBackgroundTurn();
    if (turn) await turn;
  }
  const answer = await send();
  const turn = nextBackgroundTurn();
  if (turn) await turn;
  return answer;
}

/**
 * A wait point in a JS-heavy loop of background work: free until the caller's turn has run
 * `SLICE_MS`, then the turn ends and, while requests are in flight, the next one is awaited.
 */
export function backgroundYield(): Promise<void> | undefined {
  const lane = backgroundLane();
  if (!lane) return undefined;
  // Not in a turn (a run's first yield, or a task of a lane whose turn another of its tasks
  // ended): it takes one through the queue, as a statement does, never starts its own.
  if (lane.since === undefined) return nextBackgroundTurn();
  if (performance.now() - lane.since < SLICE_MS) return undefined;
  return nextBackgroundTurn() ?? afterSocketsRead(lane);
}

/**
 * With no request in flight a turn goes on at once, but only after the event loop has read its
 * sockets: `await` alone runs no I/O callback, so a request arriving in the middle of a long loop
 * (FHIRPath over 500 events) was not even read — nor counted in flight — until the loop ended.
 * If one has arrived meanwhile, the next turn is awaited as at any wait point.
 */
async function afterSocketsRead(lane: BackgroundLane): Promise<void> {
  const mine = lane.since;
  await new Promise((resolve) => setImmediate(resolve));
  // Another task of the lane was given a turn meanwhile: this one goes on in it.
  if (lane.since !== mine) return;
  // The time in between was the loop's, not this turn's.
  lane.since = undefined;
  const turn = nextBackgroundTurn();
  if (turn) await turn;
}

function endTurn(lane: BackgroundLane): void {
  const now = performance.now();
  const began = lane.since;
  lane.since = undefined;
  const owned = state.owner === lane;
  if (owned) state.owner = undefined;
  // A lane that began before the requests did also counts: its time came from them as well.
  if (began !== undefined && (owned || interactiveInFlight() > 0)) {
    const ran = now - began;
    tally.turns++;
    tally.turnMs += ran;
    // Turns of other lanes that ran in between (begun before the requests) add up, never shorten it.
    state.nextAt = Math.max(state.nextAt, now + Math.min((ran * (1 - share)) / share, MAX_WAIT_MS));
    state.lastEnd = now;
    state.lastTurnMs = ran;
    state.loopAtLastEnd = performance.eventLoopUtilization();
    state.statementMsAtLastEnd = interactiveStatementMs();
  }
  if (state.waiting.length > 0) dispatch();
}

/** Starts the next turn if it is due, else looks again when it may be. */
function dispatch(): void {
  if (state.timer) clearTimeout(state.timer);
  state.timer = undefined;
  if (interactiveInFlight() === 0) return releaseAll();
  const now = performance.now();
  if (state.owner && now - state.ownerSince >= LAPSE_MS) lapse(now);
  const next = state.waiting[0];
  if (!next) return;
  if (!state.owner && turnDue(now)) {
    state.waiting.shift();
    state.owner = next.lane;
    state.ownerSince = now;
    next.lane.since = now;
    next.go();
  }
  // Looked at again even if the turn never reaches a wait point (its run ended, or awaits a timer).
  if (state.waiting.length > 0) state.timer = setTimeout(dispatch, recheckIn(now));
}

/**
 * The owner has held its turn `LAPSE_MS` (a long statement, a webhook's answer): the next turn
 * may start beside it, but only after the share of what it has held so far, as if it had ended
 * now — else the long statements, the ones that matter, would run several at once.
 */
function lapse(now: number): void {
  const held = now - state.ownerSince;
  state.owner = undefined;
  state.nextAt = Math.max(state.nextAt, now + Math.min((held * (1 - share)) / share, MAX_WAIT_MS));
}

function turnDue(now: number): boolean {
  if (now >= state.nextAt) return true;
  if (now - state.lastEnd < state.lastTurnMs) return false;
  if (performance.eventLoopUtilization(state.loopAtLastEnd).utilization > IDLE_LOOP_UTILIZATION) return false;
  // An idle loop whose requests wait on the database has no room to give: that is the bottleneck
  // (an HL7 burst on a small machine, where PostgreSQL shares the cores).
  const waitingOnDatabase = (interactiveStatementMs() - state.statementMsAtLastEnd) / (now - state.lastEnd);
  return waitingOnDatabase <= IDLE_LOOP_UTILIZATION;
}

function recheckIn(now: number): number {
  if (state.owner) return Math.max(1, LAPSE_MS - (now - state.ownerSince));
  return Math.max(1, Math.min(state.lastTurnMs, state.nextAt - now));
}

/** No request in flight: background runs freely, every waiting turn at once. */
function releaseAll(): void {
  const woken = state.waiting;
  state.waiting = [];
  state.owner = undefined;
  const now = performance.now();
  for (const { lane, go } of woken) {
    lane.since = now;
    go();
  }
}

onInteractiveQuiet(() => {
  if (state.waiting.length > 0) dispatch();
});

// A run of background work that ends holds no turn any longer.
onBackgroundRunEnd(endTurn);
