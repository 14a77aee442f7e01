import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { randomUUID } from 'node:crypto';
import { keepAdherenceTo, keepKpiFacts } from '../analytics/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { scheduleNightly } from './schedule-nightly.ts';
import {
  catchUpSubscriber,
  leaseSubscription,
  runAsBackground,
  type EventHandler,
  type FhirRepository,
  type SqlDatabase,
} from '../store/index.ts';

/** The analytics service: reads every record for the KPIs, as its own principal (audited). */
export const analyticsService = servicePrincipal({ id: 'analytics', display: 'Analytics (KPIs)' });

/** The reaction that keeps the KPI facts, reading through the analytics service's store. */
export function kpiFactsReaction(deps: { repository: FhirRepository; db: SqlDatabase }): EventHandler {
  const caller = {
    principal: analyticsService,
    context: { requestId: 'analytics-kpi-facts' },
    auditDb: deps.db,
  };
  return keepKpiFacts({ repository: scopeRepository(deps.repository, caller), db: deps.db });
}

/**
 * Before a KPI answer: the facts of every write committed so far. Usually the reactions have
 * kept them already and this finds nothing to do; a process whose reactions run elsewhere
 * (`BACKGROUND_WORKER=off`) or lag behind catches up here.
 */
export function catchUpKpiFacts(deps: { repository: FhirRepository; db: SqlDatabase }): Promise<number> {
  return catchUpSubscriber(deps.db, kpiFactsReaction(deps), { batchSize: 1000 });
}

/**
 * Chronic-care adherence moves on with the days (a bucket closes, the open one is measured to
 * today): just after midnight UTC every patient's adherence is measured again to the new day, once
 * however many workers share the database (the first to take the lease), as background work. A
 * KPI request that finds it not done yet does it first (`kpisFromFacts`).
 */
export function scheduleAdherenceCatchUp(deps: { db: SqlDatabase; logger: Logger; clock: Clock }): {
  cancel(): void;
} {
  const { db, logger, clock } = deps;
  const holder = randomUUID();
  return scheduleNightly({ hourUtc: 0, clock }, async () => {
    if (!(await leaseSubscription(db, 'analytics-adherence-daily', { holder, seconds: 3600 }))) return;
    await runAsBackground(() => keepAdherenceTo(db, clock.now())).catch((err: unknown) =>
      logger.error({ err }, 'daily adherence catch-up failed'),
    );
  });
}
