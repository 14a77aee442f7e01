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
  const now = options.now ?? (() => performance.now());
  const interactive: Waiter[] = [];
  const background: Waiter[] = [];
  let busy = false;
  let lastInteractive = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const quietFor = () => (interactiveInFlight() > 0 ? 0 : now() - lastInteractive);
  const overdue = (waiter: Waiter | undefined) => !!waiter && now() - waiter.since >= options.maxDeferMs;
  const wakeWhenQuiet = () => {
    if (timer || background.length === 0) return;
    const wait = Math.max(1, Math.min(options.quietMs - quietFor(), options.maxDeferMs));
    timer = setTimeout(() => {
      timer = undefined;
      if (!busy) dispatch();
    }, wait);
  };
  /** Hands the free connection to the next waiter, or leaves it free. */
  const dispatch = () => {
    const next =
      (overdue(background[0]) ? background.shift() : undefined) ??
      interactive.shift() ??
      (quietFor() >= options.quietMs ? background.shift() : undefined);
    busy = !!next;
    if (next) next.go();
    else wakeWhenQuiet();
  };
  const acquire = async (isBackground: boolean): Promise<void> => {
    if (isBackground) await new Promise((resolve) => setImmediate(resolve));
    if (!busy && (!isBackground || (background.length === 0 && quietFor() >= options.quietMs))) {
      busy = true;
      return;
    }
    await new Promise<void>((go) => {
      (isBackground ? background : interactive).push({ since: now(), go });
      if (!busy) wakeWhenQuiet();
    });
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      const isBackground = isBackgroundWork();
      await acquire(isBackground);
      try {
        return await work();
      } finally {
        if (!isBackground) lastInteractive = now();
        dispatch();
      }
    },
  };
}
