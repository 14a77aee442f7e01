import type { Config } from '../kernel/config.ts';
import type { Logger } from '../kernel/logger.ts';
import { openDatabase, type SqlDatabase } from '../store/index.ts';

/**
 * The database the configuration names (server PostgreSQL, else the embedded one in the data
 * folder), shared by the platform and the worker process; a lost connection is logged and
 * reopened on demand rather than ending the process.
 */
export function openConfiguredDatabase(config: Config, logger: Logger): Promise<SqlDatabase> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionLost: (error) =>
      logger.warn({ err: error }, 'database connection lost; reconnecting on demand'),
  });
}
