import { randomUUID } from 'node:crypto';
import type { Clock } from '../kernel/clock.ts';
import type { Logger } from '../kernel/logger.ts';
import { isDatabaseUnavailable } from '../kernel/errors.ts';
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
import { scheduleNightly } from './schedule-nightly.ts';

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
}): Reactions {
  const { db, repository, engine, logger, clock } = deps;
  // Identity reacts to every committed Patient write, as its own principal (audited).
  // Merging re-points references in any resource type and records a Provenance: integration.
  const identityPrincipal = servicePrincipal({ id: 'identity-service', display: 'Identity service' });
  const identityCaller = { principal: identityPrincipal, context: { requestId: 'identity' }, auditDb: db };
  const identityRepository = scopeRepository(repository, identityCaller);
  const journey = journeyService({ repository, db, catalog: loadDefaultCatalog(), clock });
  const worker = startBackgroundWorker(db, {
    eventHandlers: [
      matchOnWrite({ repository: identityRepository, db, engine }),
      carryOutMergeRequests(identityRepository),
      recomputeOnChange(journey),
    ],
    onError: (error) =>
      isDatabaseUnavailable(error)
        ? logger.warn('database unavailable: reactions pause and resume where they were')
        : logger.error({ err: error }, 'background worker error'),
  });
  // SLAs pass without any event (a referral becomes overdue by waiting): recompute nightly —
  // once, however many worker processes share the database (the first to take the lease).
  const holder = randomUUID();
  const nightly = scheduleNightly({ hourUtc: 2, clock }, async () => {
    if (!(await leaseSubscription(db, 'journey-nightly-sweep', { holder, seconds: 3600 }))) return;
    await recomputeAll(journey).catch((error: unknown) =>
      logger.error({ err: error }, 'nightly journey sweep failed'),
    );
  });
  return {
    worker,
    async stop() {
      nightly.cancel();
      await worker.stop();
    },
  };
}
