import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../sql/database.ts';
import { runAsBackground } from '../sql/work-priority.ts';
import { leaseSubscription } from '../jobs/change-events.ts';
import { analyzeStaleTables, AUTOVACUUM_RULE, type StalenessRule } from './analyze-stale-tables.ts';

export interface StatisticsUpkeep {
  /** One pass now (tests); the tables analysed. */
  runOnce(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface UpkeepOptions {
  intervalMs: number;
  rule?: StalenessRule;
  onError?: (error: unknown) => void;
}

/**
 * Keeps planner statistics fresh from the platform itself, whatever wrote the data (API,
 * HL7 v2, imports): every `intervalMs` it ANALYZEs the tables changed past the rule, as
 * autovacuum would — PGlite has no autovacuum, and some servers run with it off. Background
 * work (it gives way to requests on the embedded database); one process at a time per
 * database, by lease.
 */
export function startStatisticsUpkeep(db: SqlDatabase, options: UpkeepOptions): StatisticsUpkeep {
  const holder = randomUUID();
  const runOnce = () =>
    runAsBackground(async () => {
      const seconds = Math.max(1, Math.ceil(options.intervalMs / 1000));
      if (!(await leaseSubscription(db, 'statistics-upkeep', { holder, seconds }))) return [];
      return analyzeStaleTables(db, options.rule ?? AUTOVACUUM_RULE);
    });
  let running: Promise<unknown> | undefined;
  const tick = () => {
    // A pass slower than the interval (a large ANALYZE) is not doubled by the next one.
    running ??= runOnce()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
