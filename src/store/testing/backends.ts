import { describe } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../sql/database.ts';
import { openPglite } from '../sql/pglite.ts';
import { openPostgres } from '../sql/postgres.ts';
import { migrate } from '../migrate.ts';
import { migratedTarball } from './pglite-template.ts';

/**
 * Runs storage tests on every backend (house rule 8): embedded PGlite always, server
 * PostgreSQL when TEST_DATABASE_URL is set (CI always sets it). Each `open()` gives a freshly
 * migrated, isolated database: a new in-memory PGlite (loaded from a migrated template), or a
 * new schema on the server.
 */
export interface TestBackend {
  name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export const pgliteBackend: TestBackend = {
  name: 'pglite',
  // From a copy of a migrated template (pglite-template.ts): the migrations ran on an empty
  // PGlite once for the whole test run, not once per suite.
  async open() {
    return openPglite(undefined, { loadDataDir: await migratedTarball() });
  },
};

export const postgresBackend: TestBackend = {
  name: 'postgres',
  async open() {
    const url = testDatabaseUrl;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = openPostgres({ connectionString: url, maxConnections: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const db = openPostgres({ connectionString: url, schema, maxConnections: 8 });
    await migrate(db);
    const close = db.close;
    return {
      ...db,
      async close() {
        await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
        await close();
      },
    };
  },
};

export const postgresSkipReason = testDatabaseUrl
  ? undefined
  : 'server PostgreSQL half skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it';

/** Declares the same suite once per backend. */
export function describeEachBackend(title: string, suite: (backend: TestBackend) => void): void {
  describe(`${title} [pglite]`, () => suite(pgliteBackend));
  describe(`${title} [postgres]`, { skip: postgresSkipReason }, () => suite(postgresBackend));
}

// Test entry points for other modules' tests (the boundary check lets tests import `testing/`).
export { openPglite, openPostgres, migrate };
export { migrations } from '../migrations/index.ts';
