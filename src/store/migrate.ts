import type { SqlDatabase } from './sql/database.ts';
import { migrations } from './migrations/index.ts';

/**
 * Any 32-bit constant, paired with the schema's hash: the nodes of one deployment (one schema)
 * take the same advisory lock, so only one migrates at a time, while another schema on the same
 * server (the test suite makes one per suite) migrates beside it instead of queueing behind it.
 */
const MIGRATION_LOCK = 724_681_300;

/**
 * Applies pending migrations, each in its own transaction, idempotently: on both PGlite and
 * server PostgreSQL, any number of nodes may call this at start.
 */
export async function migrate(db: SqlDatabase): Promise<string[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [MIGRATION_LOCK]);
      const done = await tx.query('SELECT 1 FROM schema_migration WHERE name = $1', [migration.name]);
      if (done.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migration (name) VALUES ($1)', [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
