import { mkdirSync } from 'node:fs';
import type { SqlDatabase } from './sql/database.ts';
import { openPglite } from './sql/pglite.ts';
import { openPostgres } from './sql/postgres.ts';
import { migrate } from './migrate.ts';

export interface DatabaseSettings {
  /** Server PostgreSQL; when absent the embedded database in `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Told when server PostgreSQL drops an idle connection (it reconnects by itself). */
  onConnectionLost?: (error: Error) => void;
}

/** Opens the configured database and brings its schema up to date (idempotent). */
export async function openDatabase(settings: DatabaseSettings): Promise<SqlDatabase> {
  let db: SqlDatabase;
  if (settings.databaseUrl) {
    db = openPostgres({
      connectionString: settings.databaseUrl,
      onConnectionLost: settings.onConnectionLost,
    });
  } else {
    mkdirSync(settings.dataDir, { recursive: true });
    db = await openPglite(`${settings.dataDir}/pglite`);
  }
  await migrate(db);
  return db;
}
