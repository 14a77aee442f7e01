import type { SqlDatabase } from '../sql/database.ts';
import { subscribersWithoutEvents } from './change-events.ts';

/** Where idle event lanes wait for events: together, on one probe per poll. */
export interface IdleEventLanes {
  /**
   * Resolves once events are readable after the subscriber's cursor (or the probe failed) — of
   * its `types` when it names them (asked at each probe: a handler's types may change).
   */
  wait(subscriber: string, types?: () => readonly string[] | undefined): Promise<void>;
  wakeAll(): void;
}

/**
 * Idle event lanes wait here for their next events: every `pollMs` one statement asks which of
 * the waiting subscribers still have nothing (`subscribersWithoutEvents`) and wakes the rest.
 * Each lane polling on its own cost three statements a lane a poll (lease, read, release), ten
 * lanes four times a second, mostly while only the job queues had work. A lane is woken no
 * later than its own poll would have found the events, and not for events of types it does not
 * act on (the probe moves its cursor past them instead). A failed probe wakes every lane: each
 * then meets the failure in its own run and backs off there.
 */
export function idleEventLanes(db: SqlDatabase, pollMs: number): IdleEventLanes {
  const waiting = new Map<string, (() => void)[]>();
  const typesOf = new Map<string, () => readonly string[] | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wake = (subscriber: string) => {
    waiting.get(subscriber)?.forEach((resolve) => resolve());
    waiting.delete(subscriber);
    typesOf.delete(subscriber);
  };
  const schedule = () => {
    if (!timer && waiting.size > 0) timer = setTimeout(() => void probe(), pollMs);
  };
  const probe = async () => {
    const subscribers = [...waiting.keys()];
    const asked = subscribers.map((subscriber) => ({ subscriber, types: typesOf.get(subscriber)?.() }));
    const idle = new Set(await subscribersWithoutEvents(db, asked).catch(() => []));
    timer = undefined;
    for (const subscriber of subscribers) if (!idle.has(subscriber)) wake(subscriber);
    schedule();
  };
  return {
    wait: (subscriber, types) =>
      new Promise<void>((resolve) => {
        if (types) typesOf.set(subscriber, types);
        waiting.set(subscriber, [...(waiting.get(subscriber) ?? []), resolve]);
        schedule();
      }),
    wakeAll() {
      clearTimeout(timer);
      timer = undefined;
      [...waiting.keys()].forEach(wake);
    },
  };
}
