import { breakGlassPatients, scopeRepository } from '../access/index.ts';
import { startExportJobs, type ExportCaller, type ExportJobs } from '../analytics/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';
import { resultHoldSetting } from './result-hold-setting.ts';

/**
 * Bulk exports (`$export`) as leased jobs (`JOB_LEASE_SECONDS`), files under `<DATA_DIR>/exports`;
 * an export another process started is finished here with its caller's scope made again.
 */
export function startExports(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  clock: Clock;
  logger: Logger;
}): ExportJobs {
  const { db, config, clock, logger } = deps;
  return startExportJobs({
    db,
    dataDir: config.dataDir,
    clock,
    logger,
    fhirBase: `${config.baseUrl}/fhir`,
    scopeFor: exportCallerScope(deps),
    leaseSeconds: config.jobLeaseSeconds,
  });
}

/**
 * The scoped store of the system client that kicked an export off, made again in a process
 * that finishes it after the first one stopped: the same checkpoint as its kick-off request
 * (`routes/auth-hook.ts`), audited under the kick-off's request id. The principal is the one
 * its token carried at the kick-off.
 */
function exportCallerScope(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  clock: Clock;
}): (caller: ExportCaller) => Promise<FhirRepository> {
  return async ({ principal, requestId }) =>
    scopeRepository(
      deps.repository,
      { principal, context: { requestId }, auditDb: deps.db },
      {
        breakGlassPatients: await breakGlassPatients(deps.db, principal),
        linkedRecords: [],
        resultHold: resultHoldSetting(deps),
      },
    );
}
