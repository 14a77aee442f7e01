import { nextBackgroundTurn } from './background-duty.ts';
import { interactiveInFlight, isBackgroundWork } from './work-priority.ts';

/** Runs one piece of work on the single connection at a time, interactive work first. */
export interface PriorityGate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export interface GateOptions {
  /**
   * How long the connection must have been free of interactive work before background work
   * starts: a request makes several queries with a little JavaScript between them, and a
   * background slice taken in such a gap would delay each of them.
   */
  quietMs: number;
  /** How long background work may be held back by a steady interactive load before it goes first. */
  maxDeferMs: number;
  /** Monotonic milliseconds (injected by tests). */
  now?: () => number;
}

interface Waiter {
  since: number;
  go(): void;
}

/**
 * The gate in front of the embedded database's one connection (PGlite). A query or a whole
 * transaction holds it. Interactive work (an HTTP or MLLP request) takes it whenever it is
 * free; background work (the reactions, see `runAsBackground`) only after `quietMs` without
 * interactive work, and behind every interactive waiter, unless it has been held back for
 * `maxDeferMs`: then one background slice goes first, so the reactions never starve. Each
 * class keeps its order (FIFO), so the reactions see their events as before.
 *
 * Background work also yields one turn of the event loop before it asks: PGlite answers in
 * microtasks, so a chain of background queries would otherwise never let Node read a socket,
 * and requests would not even reach the gate until the reactions ran out of work.
 */
export function priorityGate(options: GateOptions): PriorityGate {
  const gate: GateState = {
    options,
    now: options.now ?? (() => performance.now()),
    interactive: [],
    background: [],
    busy: false,
    lastInteractive: Number.NEGATIVE_INFINITY,
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      const isBackground = isBackgroundWork();
      await acquire(gate, isBackground);
      try {
        return await work();
      } finally {
        if (!isBackground) gate.lastInteractive = gate.now();
        dispatch(gate);
      }
    },
  };
}

interface GateState {
  options: GateOptions;
  now: () => number;
  interactive: Waiter[];
  background: Waiter[];
  busy: boolean;
  lastInteractive: number;
  timer?: NodeJS.Timeout;
}

/** How long no interactive work has held the gate or been in flight. */
function quietFor(gate: GateState): number {
  return interactiveInFlight() > 0 ? 0 : gate.now() - gate.lastInteractive;
}

function overdue(gate: GateState, waiter: Waiter | undefined): boolean {
  return !!waiter && gate.now() - waiter.since >= gate.options.maxDeferMs;
}

/** Hands the free connection to the next waiter, or leaves it free. */
function dispatch(gate: GateState): void {
  const next =
    (overdue(gate, gate.background[0]) ? gate.background.shift() : undefined) ??
    gate.interactive.shift() ??
    (quietFor(gate) >= gate.options.quietMs ? gate.background.shift() : undefined);
  gate.busy = !!next;
  if (next) next.go();
  else wakeWhenQuiet(gate);
}

/** Background work waits on a free gate: look again when the quiet period (or its patience) ends. */
function wakeWhenQuiet(gate: GateState): void {
  if (gate.timer || gate.background.length === 0) return;
  const { quietMs, maxDeferMs } = gate.options;
  const wait = Math.max(1, Math.min(quietMs - quietFor(gate), maxDeferMs));
  gate.timer = setTimeout(() => {
    gate.timer = undefined;
    if (!gate.busy) dispatch(gate);
  }, wait);
}

async function acquire(gate: GateState, isBackground: boolean): Promise<void> {
  if (isBackground) {
    // A statement is a wait point of the background duty cycle (`background-duty.ts`).
    const turn = nextBackgroundTurn();
    if (turn) await turn;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const free =
    !gate.busy && (!isBackground || (gate.background.length === 0 && quietFor(gate) >= gate.options.quietMs));
  if (free) {
    gate.busy = true;
    return;
  }
  await new Promise<void>((go) => {
    (isBackground ? gate.background : gate.interactive).push({ since: gate.now(), go });
    if (!gate.busy) wakeWhenQuiet(gate);
  });
}
