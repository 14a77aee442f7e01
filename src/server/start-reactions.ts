import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { isDatabaseUnavailable } from '../kernel/errors.ts';
import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { carryOutMergeRequests, matchOnWrite, type MatchEngine } from '../identity/index.ts';
import { loadDefaultCatalog, recomputeAll, recomputeOnChange, type JourneyDeps } from '../journey/index.ts';
import {
  leaseSubscription,
  runAsBackground,
  startBackgroundWorker,
  startStatisticsUpkeep,
  type BackgroundWorker,
  type FhirRepository,
  type JobHandler,
  type SqlDatabase,
} from '../store/index.ts';
import { journeyService } from './journey-service.ts';
import {
  closeChannels,
  deliveryHandler,
  followSurveyRequest,
  outreachScheduler,
  planReminders,
  planSurveys,
  type ChannelAdapters,
} from '../engagement/index.ts';
import type { Config } from '../kernel/config.ts';
import { engagementService } from './engagement-service.ts';
import { scheduleNightly } from './schedule-nightly.ts';
import { autoNoShowJobs, schedulingReactions } from '../scheduling/index.ts';
import { schedulingService } from './scheduling-service.ts';
import { automationReactions } from './automation-service.ts';
import { connectorReactions } from './connectors-service.ts';
import { kpiFactsReaction, scheduleAdherenceCatchUp } from './analytics-service.ts';

/** What the reactions are given by the composition root. */
export interface ReactionDeps {
  db: SqlDatabase;
  repository: FhirRepository;
  engine: MatchEngine;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Channel adapters other than the configured ones (tests). */
  channels?: ChannelAdapters;
}

export interface Reactions {
  worker: BackgroundWorker;
  stop(): Promise<void>;
}

/**
 * The reactions to committed writes (DESIGN rule 3): identity match-on-write, merge requests
 * and the journey engine, on the durable event stream, plus the nightly journey sweep. Runs in
 * the platform process by default, or on its own (`throughline worker`) so that ingest nodes
 * spend their CPU on acknowledging messages while workers catch up beside them.
 */
export function startReactions(deps: ReactionDeps): Reactions {
  const { db, repository, engine, logger, clock, config } = deps;
  const identityRepository = identityScoped(repository, db);
  const journey = journeyService({ repository, db, catalog: loadDefaultCatalog(), clock });
  const engagement = engagementService({ repository, db, config, channels: deps.channels, clock });
  const automation = automationReactions({ repository, db, config, clock });
  const connectors = connectorReactions({ repository, db, config, clock });
  const scheduling = schedulingService({ repository, db, config, clock });
  const onError = workerErrorLogger(logger);
  const worker = startBackgroundWorker(db, {
    eventHandlers: [
      matchOnWrite({ repository: identityRepository, db, engine }),
      carryOutMergeRequests(identityRepository),
      recomputeOnChange(journey),
      outreachScheduler(engagement, [
        (event) => planReminders(engagement, event),
        (event) => planSurveys(engagement, event),
        (event) => followSurveyRequest(engagement, event),
      ]),
      schedulingReactions(scheduling),
      ...automation.events,
      ...connectors.events,
      kpiFactsReaction({ repository, db }),
    ],
    jobHandlers: jobHandlersOf({ engagement, automation, scheduling, connectors }, config),
    leaseSeconds: config.jobLeaseSeconds,
    onError,
  });
  const nightly = scheduleDailyWork({ db, journey, logger, clock });
  const ruleClock = startRuleClock(automation.tick, onError);
  // Planner statistics, as autovacuum would keep them (PGlite has none; some servers run without).
  const statistics = startStatisticsUpkeep(db, { intervalMs: STATISTICS_INTERVAL_MS, onError });
  return {
    worker,
    async stop() {
      await Promise.all([nightly.cancel(), statistics.stop(), ruleClock.stop()]);
      await worker.stop();
      await closeChannels(engagement.channels);
    },
  };
}

/** The queued jobs the reactions run: deliveries, rule actions, automatic no-shows, connectors. */
function jobHandlersOf(
  services: {
    engagement: ReturnType<typeof engagementService>;
    automation: ReturnType<typeof automationReactions>;
    scheduling: ReturnType<typeof schedulingService>;
    connectors: ReturnType<typeof connectorReactions>;
  },
  config: Config,
): JobHandler[] {
  const { engagement, automation, scheduling, connectors } = services;
  const delivery = deliveryHandler(engagement, { concurrency: config.outreachConcurrency });
  return [delivery, ...automation.jobs, autoNoShowJobs(scheduling), ...connectors.jobs];
}

/** How often the tables changed since their last ANALYZE are looked for (autovacuum: 60 s). */
const STATISTICS_INTERVAL_MS = 15_000;

/**
 * Identity reacts to every committed Patient write, as its own principal (audited); merging
 * re-points references in any resource type and records a Provenance: integration.
 */
function identityScoped(repository: FhirRepository, db: SqlDatabase): FhirRepository {
  const identityPrincipal = servicePrincipal({ id: 'identity-service', display: 'Identity service' });
  const identityCaller = { principal: identityPrincipal, context: { requestId: 'identity' }, auditDb: db };
  return scopeRepository(repository, identityCaller);
}

/** The work that waits for the clock: the nightly journey sweep, the daily adherence catch-up. */
function scheduleDailyWork(deps: Parameters<typeof scheduleJourneySweep>[0]): { cancel(): Promise<unknown> } {
  const jobs = [scheduleJourneySweep(deps), scheduleAdherenceCatchUp(deps)];
  return { cancel: () => Promise.all(jobs.map((job) => job.cancel())) };
}

/**
 * SLAs pass without any event (a referral becomes overdue by waiting): recompute nightly, once
 * however many worker processes share the database (the first to take the lease), as
 * background work (requests go first on the embedded database).
 */
function scheduleJourneySweep(deps: {
  db: SqlDatabase;
  journey: JourneyDeps;
  logger: Logger;
  clock: Clock;
}): { cancel(): void } {
  const { db, journey, logger, clock } = deps;
  const holder = randomUUID();
  return scheduleNightly({ hourUtc: 2, clock }, async () => {
    if (!(await leaseSubscription(db, 'journey-nightly-sweep', { holder, seconds: 3600 }))) return;
    await runAsBackground(() => recomputeAll(journey)).catch((err: unknown) =>
      logger.error({ err }, 'nightly journey sweep failed'),
    );
  });
}

/** How often scheduled rules are asked whether an occurrence came due (RRULEs repeat hourly at most). */
const RULE_TICK_MS = 15_000;

/**
 * The scheduled rules' tick, in every worker process (the occurrence keys make it once), as
 * background work; one tick at a time, so a slow one is not overtaken by the next.
 */
function startRuleClock(
  tick: () => Promise<number>,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const fire = () => {
    if (busy) return;
    busy = true;
    running = runAsBackground(tick)
      .catch(onError)
      .finally(() => (busy = false));
  };
  // Soon after start too: an occurrence missed while the process was down is caught up at once.
  const first = setTimeout(fire, 1000);
  const timer = setInterval(fire, RULE_TICK_MS);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/** The database away is expected now and then (a warning); anything else is an error. */
function workerErrorLogger(logger: Logger): (error: unknown) => void {
  return (error) =>
    isDatabaseUnavailable(error)
      ? logger.warn('database unavailable: reactions pause and resume where they were')
      : logger.error({ err: error }, 'background worker error');
}
