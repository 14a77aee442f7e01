import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { scopeRepository, servicePrincipal } from '../access/index.ts';
import { carryOutMergeRequests, matchOnWrite, type MatchEngine } from '../identity/index.ts';
import { loadDefaultCatalog, recomputeAll, recomputeOnChange } from '../journey/index.ts';
import {
  leaseSubscription,
  startBackgroundWorker,
  type BackgroundWorker,
  type FhirRepository,
  type SqlDatabase,
} from '../store/index.ts';
import { journeyService } from './journey-service.ts';
import {
  closeChannels,
  deliveryHandler,
  outreachScheduler,
  planReminders,
  type ChannelAdapters,
} from '../engagement/index.ts';
import type { Config } from '../kernel/config.ts';
import { engagementService } from './engagement-service.ts';
import { scheduleNightly } from './schedule-nightly.ts';
import { schedulingReactions } from '../scheduling/index.ts';
import { schedulingService } from './scheduling-service.ts';

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
export function startReactions(deps: {
  db: SqlDatabase;
  repository: FhirRepository;
  engine: MatchEngine;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Channel adapters other than the configured ones (tests). */
  channels?: ChannelAdapters;
}): Reactions {
  const { db, repository, engine, logger, clock, config } = deps;
  const identityRepository = identityScoped(repository, db);
  const journey = journeyService({ repository, db, catalog: loadDefaultCatalog(), clock });
  const engagement = engagementService({ repository, db, config, channels: deps.channels, clock });
  const worker = startBackgroundWorker(db, {
    eventHandlers: [
      matchOnWrite({ repository: identityRepository, db, engine }),
      carryOutMergeRequests(identityRepository),
      recomputeOnChange(journey),
      outreachScheduler(engagement, [(event) => planReminders(engagement, event)]),
      schedulingReactions(schedulingService({ repository, db, config, clock })),
    ],
    jobHandlers: [deliveryHandler(engagement)],
    leaseSeconds: config.jobLeaseSeconds,
    onError: (error) => logger.error({ err: error }, 'background worker error'),
  });
  const nightly = nightlySweep({ db, journey, logger });
  return {
    worker,
    async stop() {
      nightly.cancel();
      await worker.stop();
      await closeChannels(engagement.channels);
    },
  };
}

/**
 * SLAs pass without any event (a referral becomes overdue by waiting): recompute nightly, once
 * however many worker processes share the database (the first to take the lease).
 */
function nightlySweep(deps: { db: SqlDatabase; journey: ReturnType<typeof journeyService>; logger: Logger }) {
  const { db, journey, logger } = deps;
  const holder = randomUUID();
  return scheduleNightly({ hourUtc: 2, clock: journey.clock }, async () => {
    if (!(await leaseSubscription(db, 'journey-nightly-sweep', { holder, seconds: 3600 }))) return;
    await recomputeAll(journey).catch((err: unknown) =>
      logger.error({ err }, 'nightly journey sweep failed'),
    );
  });
}

/**
 * Identity reacts to every committed Patient write, as its own principal (audited); merging
 * re-points references in any resource type and records a Provenance: integration.
 */
function identityScoped(repository: FhirRepository, db: SqlDatabase): FhirRepository {
  const identityPrincipal = servicePrincipal({ id: 'identity-service', display: 'Identity service' });
  const identityCaller = { principal: identityPrincipal, context: { requestId: 'identity' }, auditDb: db };
  return scopeRepository(repository, identityCaller);
}
