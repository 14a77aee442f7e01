import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { SqlDatabase } from '../../store/index.ts';
import { openPostgres } from '../../store/testing/backends.ts';

/** `throughline start` as its own process, for tests that kill it mid-work and start it again. */
export interface ServerProcess {
  process: ChildProcess;
  stderr(): string;
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['src/cli/main.ts', 'start', '--no-seed'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: child, stderr: () => stderr };
}

/**
 * Bounds only a start that hangs: on a machine loaded by a whole test suite, a start that
 * migrates a fresh schema in a process getting a fraction of a core has taken over 30 s (15 s
 * at load 30 beside another test); its migrations also queue behind every other schema's on the
 * same database (one advisory lock, `store/migrate.ts`). Sized for load 50 with room to spare.
 */
const READY_WITHIN_MS = 240_000;

/**
 * Ready means the HTTP health check answers from this very process (and `alsoReady`, when
 * given, holds): a bare TCP connect could reach whatever else holds the port for a moment.
 */
export async function waitUntilReady(
  server: ServerProcess,
  options: { port: number; alsoReady?: () => Promise<boolean> },
): Promise<void> {
  const deadline = performance.now() + READY_WITHIN_MS;
  while (performance.now() < deadline) {
    if (server.process.exitCode !== null || server.process.signalCode !== null)
      throw new Error(`server exited during start-up:\n${server.stderr()}`);
    const healthy = await fetch(`http://127.0.0.1:${options.port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy && (!options.alsoReady || (await options.alsoReady()))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready after ${READY_WITHIN_MS} ms:\n${server.stderr()}`);
}

/** A TCP port free on loopback just now, for a server process to listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The schema and environment of a `throughline start` process that a test kills and starts again. */
export interface ProcessSetup {
  /** The process's environment: its database, loopback ports, the `crash` admin client, errors only. */
  env: Record<string, string>;
  port: number;
  mllpPort: number;
  /** `http://127.0.0.1:{port}` */
  base: string;
  schema: string;
  /** The database URL whose search path is `schema`. */
  databaseUrl: string;
  /** A connection of the test's own, to look into the schema (`{schema}.table`). */
  admin: SqlDatabase;
  /** Drops the schema and closes `admin`. */
  drop(): Promise<void>;
}

/**
 * A fresh schema on server PostgreSQL (TEST_DATABASE_URL) that outlives each process, free ports,
 * and the environment of a process on them; `extra` adds settings (workers, leases, channels).
 */
export async function prepareServerProcess(options: {
  schemaPrefix: string;
  extra?: Record<string, string>;
}): Promise<ProcessSetup> {
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `${options.schemaPrefix}_${randomBytes(5).toString('hex')}`;
  const admin = openPostgres({ connectionString: url, maxConnections: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  const [port, mllpPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: withSchema.toString(),
    PORT: String(port),
    MLLP_PORT: String(mllpPort),
    HOST: '127.0.0.1',
    BASE_URL: base,
    LOG_LEVEL: 'error',
    ADMIN_CLIENT_ID: 'crash',
    ADMIN_CLIENT_SECRET: 'crash-secret',
    ...options.extra,
  };
  const drop = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await admin.close();
  };
  return { env, port, mllpPort, base, schema, databaseUrl: env.DATABASE_URL, admin, drop };
}
