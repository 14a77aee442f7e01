import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlDatabase, SqlExecutor } from './database.ts';
import { priorityGate } from './priority-gate.ts';

// Same value shapes as the `pg` adapter: timestamps and bigints as strings.
const parsers = {
  [types.TIMESTAMPTZ]: (value: string) => value,
  [types.INT8]: (value: string) => value,
};

/**
 * Interactive work first (store README, "Embedded database"): background work waits until no request
 * has been in flight for 20 ms, and goes first anyway once it has waited 0.5 s.
 */
const GATE = { quietMs: 20, maxDeferMs: 500 };

function wrap(client: PGlite | Transaction): SqlExecutor {
  return {
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      const result = await client.query<Row>(sql, params, { parsers });
      return { rows: result.rows, affectedRows: result.affectedRows };
    },
    async exec(sql: string): Promise<void> {
      await client.exec(sql);
    },
  };
}

/**
 * Embedded PostgreSQL. `dataDir` undefined → in memory (tests). PGlite runs one connection: a
 * priority gate in front of it serializes queries and transactions (which is also what makes
 * it safe here), interactive ones before background ones.
 */
export async function openPglite(
  dataDir?: string,
  options: {
    /** A data directory tarball to start from (tests: a migrated template). */ loadDataDir?: Blob;
  } = {},
): Promise<SqlDatabase> {
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...options });
  const executor = wrap(db);
  const gate = priorityGate(GATE);
  return {
    dialect: 'pglite',
    query: (sql, params) => gate.run(() => executor.query(sql, params)),
    exec: (sql) => gate.run(() => executor.exec(sql)),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return gate.run(() => db.transaction((tx) => work(wrap(tx))));
    },
    async close() {
      await db.close();
    },
  };
}
