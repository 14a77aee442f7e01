import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../sql/database.ts';
import { openPostgres } from '../sql/postgres.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * A place to break the database in (issue 15 part 4): a fresh schema in its own database
 * (`throughline_faults`, created on the TEST_DATABASE_URL server), reached through a TCP proxy
 * that can be cut, under an application_name of its own. `terminate()` ends only this run's
 * connections — never another database's, never another run's: the server is shared.
 */
export interface FaultDatabase {
  /** Where the code under test connects: through the proxy, with the schema as search_path. */
  url: string;
  schema: string;
  proxy: TcpProxy;
  /** The same schema directly, not through the proxy: for set-up and for checking afterwards. */
  directUrl: string;
  /** A direct connection to the database (no search_path: name the schema). */
  admin: SqlDatabase;
  /** Terminates every backend of this run (`pg_terminate_backend`); how many there were. */
  terminate(): Promise<number>;
  close(): Promise<void>;
}

export const FAULT_DATABASE = 'throughline_faults';

export async function openFaultDatabase(): Promise<FaultDatabase> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  await createFaultDatabase(base);
  const direct = new URL(base);
  direct.pathname = `/${FAULT_DATABASE}`;
  const admin = openPostgres({ connectionString: direct.toString(), maxConnections: 2 });
  const schema = `faults_${randomBytes(5).toString('hex')}`;
  const application = `throughline-${schema}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const directUrl = new URL(direct);
  directUrl.searchParams.set('options', `-c search_path=${schema}`);
  const url = new URL(direct);
  url.host = `127.0.0.1:${proxy.port}`;
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', application);
  const terminate = async () => {
    const result = await admin.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
      [application],
    );
    return Number(result.rows[0]!.n);
  };
  const close = async () => {
    await proxy.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await admin.close();
  };
  return { url: url.toString(), directUrl: directUrl.toString(), schema, proxy, admin, terminate, close };
}

async function createFaultDatabase(base: URL): Promise<void> {
  // Through the server's maintenance database, which every PostgreSQL server has.
  const maintenance = new URL(base);
  maintenance.pathname = '/postgres';
  const server = openPostgres({ connectionString: maintenance.toString(), maxConnections: 1 });
  try {
    await server.query(`CREATE DATABASE ${FAULT_DATABASE}`).catch((error: { code?: string }) => {
      // 42P04: it exists; 23505: another run created it at the same moment.
      if (error.code !== '42P04' && error.code !== '23505') throw error;
    });
  } finally {
    await server.close();
  }
}
