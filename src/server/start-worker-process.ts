import { systemClock, type Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import { openConfiguredDatabase } from './open-configured-database.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { createFhirRepository, type BackgroundWorker } from '../store/index.ts';
import { loadModelEngine } from '../identity/index.ts';
import { startReactions } from './start-reactions.ts';

export interface WorkerProcess {
  logger: Logger;
  worker: BackgroundWorker;
  stop(): Promise<void>;
}

/** The composition root of a worker-only process (`throughline worker`): database and reactions. */
export async function startWorkerProcess(
  config: Config,
  options: { logger?: Logger; clock?: Clock } = {},
): Promise<WorkerProcess> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = await openConfiguredDatabase(config, logger);
  try {
    const repository = createFhirRepository(db, { baseUrl: `${config.baseUrl}/fhir` });
    // Loaded at start: a model trained later through the API reaches this process on restart.
    const engine = await loadModelEngine(db, (problem) => logger.warn(problem));
    const clock = options.clock ?? systemClock;
    const reactions = startReactions({ db, repository, engine, logger, clock, config });
    return {
      logger,
      worker: reactions.worker,
      async stop() {
        await reactions.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
