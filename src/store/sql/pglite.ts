import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { QueryResult, SqlDatabase, SqlExecutor } from './database.ts';

// Same value shapes as the `pg` adapter: timestamps and bigints as strings.
const parsers = {
  [types.TIMESTAMPTZ]: (value: string) => value,
  [types.INT8]: (value: string) => value,
};

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
 * Embedded PostgreSQL. `dataDir` undefined → in memory (tests). PGlite runs one connection, so
 * transactions are serialized by PGlite itself; that is also what makes it safe here.
 */
export async function openPglite(dataDir?: string): Promise<SqlDatabase> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const executor = wrap(db);
  return {
    dialect: 'pglite',
    query: executor.query,
    exec: executor.exec,
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(wrap(tx)));
    },
    async close() {
      await db.close();
    },
  };
}
