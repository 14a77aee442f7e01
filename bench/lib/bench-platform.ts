import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../src/kernel/config.ts';
import { silentLogger } from '../../src/kernel/logger.ts';
import { openPostgres } from '../../src/store/sql/postgres.ts';
import { startPlatform, type Platform } from '../../src/server/index.ts';

export type BenchBackend = 'pglite' | 'postgres';

export const BENCH_CLIENT = { id: 'bench-admin', secret: 'bench-secret' };

export interface BenchPlatform extends Platform {
  token(): Promise<string>;
}

/** A real platform for a benchmark: embedded PGlite on disk, or a fresh schema on PostgreSQL. */
export async function startBenchPlatform(
  backend: BenchBackend,
  databaseUrl: string,
  options: { backgroundWorker?: boolean; env?: Record<string, string> } = {},
): Promise<BenchPlatform & { databaseUrl?: string; applicationName?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'throughline-bench-'));
  let url: string | undefined;
  let schema: string | undefined;
  if (backend === 'postgres') {
    schema = `bench_${randomBytes(5).toString('hex')}`;
    const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const withSchema = new URL(databaseUrl);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    // Names the platform's backends, so a bench can read their CPU (bench/lib/postgres-cpu.ts).
    withSchema.searchParams.set('application_name', schema);
    url = withSchema.toString();
  }
  const config = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    ADMIN_CLIENT_ID: BENCH_CLIENT.id,
    ADMIN_CLIENT_SECRET: BENCH_CLIENT.secret,
    BACKGROUND_WORKER: options.backgroundWorker === false ? 'off' : 'on',
    ...options.env,
  });
  const platform = await startPlatform(config, { logger: silentLogger });
  return {
    ...platform,
    databaseUrl: url,
    applicationName: schema,
    async token() {
      const response = await fetch(`${platform.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: BENCH_CLIENT.id,
          client_secret: BENCH_CLIENT.secret,
        }),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async stop() {
      await platform.stop();
      if (schema) {
        const admin = openPostgres({ connectionString: databaseUrl, maxConnections: 1 });
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
