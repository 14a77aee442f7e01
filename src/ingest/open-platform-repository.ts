import type { Config } from '../kernel/config.ts';
import { createFhirRepository, openDatabase, type FhirRepository, type SqlDatabase } from '../store/index.ts';

/**
 * The database and repository exactly as the server opens them (embedded PGlite in the data
 * directory, or server PostgreSQL when DATABASE_URL is set; migrated), for the CLI commands
 * that write through the store without a running server.
 */
export async function openPlatformRepository(
  config: Config,
): Promise<{ repository: FhirRepository; db: SqlDatabase; close: () => Promise<void> }> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const repository = createFhirRepository(db, { baseUrl: `${config.baseUrl.replace(/\/+$/, '')}/fhir` });
  return { repository, db, close: () => db.close() };
}
