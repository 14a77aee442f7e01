import { beginInteractive } from '../sql/work-priority.ts';

/** Holds the event loop for `ms` (JavaScript that does not yield: FHIRPath over a batch). */
export function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * An interactive request in flight that keeps the event loop busy (1 ms of JavaScript per turn
 * of the loop), as a write load that saturates Node does, until stopped.
 */
export function busyRequests(): { stop(): void } {
  const end = beginInteractive();
  let stopped = false;
  const step = () => {
    if (stopped) return;
    burn(1);
    setImmediate(step);
  };
  setImmediate(step);
  return {
    stop() {
      stopped = true;
      end();
    },
  };
}
