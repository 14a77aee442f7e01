import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { randomUUID } from 'node:crypto';
import { adherenceBehind, keepAdherenceTo, keepKpiFacts } from '../analytics/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';
import { scheduleNightly } from './schedule-nightly.ts';
import {
  catchUpSubscriber,
  leaseSubscription,
  releaseSubscription,
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
export function catchUpKpiFacts(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Pick<Config, 'jobLeaseSeconds'>;
}): Promise<number> {
  const leaseSeconds = deps.config.jobLeaseSeconds;
  return catchUpSubscriber(deps.db, kpiFactsReaction(deps), { batchSize: 1000, leaseSeconds });
}

/** The lease one adherence catch-up at a time holds, whichever process runs it. */
const ADHERENCE_LEASE = 'analytics-adherence-daily';

type CatchUpDeps = { db: SqlDatabase; logger: Logger; clock: Clock };

/**
 * Chronic-care adherence moves on with the days (a bucket closes, the open one is measured to
 * today): just after midnight UTC every patient's adherence is measured again to the new day,
 * and at start when a midnight passed with no process up (its catch-up would otherwise wait for
 * the next midnight, or fall on the day's first KPI request). Once however many workers share the
 * database: the first takes the lease, the others find it taken or the day kept. As background
 * work. A KPI request that finds it not done yet does it first (`kpisFromFacts`).
 */
export function scheduleAdherenceCatchUp(deps: CatchUpDeps): { cancel(): Promise<void> } {
  const holder = randomUUID();
  const atStart = catchUpAtStart(deps, holder);
  const nightly = scheduleNightly({ hourUtc: 0, clock: deps.clock }, () =>
    catchUpAdherence(deps, holder).catch((err: unknown) =>
      deps.logger.error({ err }, 'daily adherence catch-up failed'),
    ),
  );
  return {
    async cancel() {
      nightly.cancel();
      await atStart;
    },
  };
}

/** The catch-up of a midnight missed while no process was up; the kept day says whether one was. */
async function catchUpAtStart(deps: CatchUpDeps, holder: string): Promise<void> {
  const { db, logger, clock } = deps;
  try {
    if (!(await adherenceBehind(db, clock.now()))) return;
    if (await catchUpAdherence(deps, holder))
      logger.info('adherence measured to today at start: a midnight passed with no process up');
  } catch (err) {
    logger.error({ err }, 'adherence catch-up at start failed');
  }
}

/** Everyone measured to today under the lease; false when another holds it or the day was kept. */
async function catchUpAdherence(deps: CatchUpDeps, holder: string): Promise<boolean> {
  const { db, clock } = deps;
  if (!(await leaseSubscription(db, ADHERENCE_LEASE, { holder, seconds: 3600 }))) return false;
  try {
    return await runAsBackground(() => keepAdherenceTo(db, clock.now()));
  } finally {
    // Given back at once: a process started after a failed run tries again (not in an hour),
    // and one started after a run that went finds the day kept.
    await releaseSubscription(db, ADHERENCE_LEASE, holder);
  }
}
