import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../sql/database.ts';
import { DEFAULT_LEASE_SECONDS, pumpBatch, type EventHandler } from './background-worker.ts';
import { hasEventsAfterCursor } from './change-events.ts';

/**
 * Runs one subscriber until no committed event is left after its cursor, for a reader that must
 * see every write made before it asked (a KPI request on a process whose reactions run elsewhere,
 * or lag). Shares the subscriber's lease with the background worker, so events are still handled
 * once and in order: while the worker holds it, this waits for its batch. Gives up after
 * `timeoutMs` (the answer is then as of the facts kept so far); resolves how many it handled.
 * `leaseSeconds`: the worker's (`JOB_LEASE_SECONDS`).
 */
export async function catchUpSubscriber(
  db: SqlDatabase,
  handler: EventHandler,
  options: { batchSize?: number; timeoutMs?: number; leaseSeconds?: number } = {},
): Promise<number> {
  const holder = randomUUID();
  const lane = {
    holder,
    batchSize: options.batchSize ?? 500,
    leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let handled = 0;
  while (Date.now() < deadline) {
    const done = await pumpBatch(db, handler, lane);
    handled += done.handled;
    // Events read (of its types or not): more may follow at once.
    if (done.read > 0) continue;
    // Nothing handled: caught up; or another holder has the lease (its batch will end soon); or
    // committed events wait behind a transaction still running anywhere on the server (events
    // are read only below every running transaction, so none is skipped) — wait for those too.
    if (!(await hasEventsAfterCursor(db, handler.subscriber))) return handled;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return handled;
}
