import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../kernel/clock.ts';
import { parseConfig } from '../../kernel/config.ts';
import { silentLogger } from '../../kernel/logger.ts';

import { openPostgres, type TestBackend } from '../../store/testing/backends.ts';
import { copyMigratedTemplate } from '../../store/testing/pglite-template.ts';
import { suiteFixture } from '../../store/testing/suite-fixture.ts';
import { startPlatform, type Platform } from '../start-platform.ts';
import { assertAudited } from './audit-coverage.ts';

export interface TestPlatform extends Platform {
  /** A bearer token for the admin test client (or the given scopes). */
  token(scope?: string): Promise<string>;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Creates a resource as the admin test client and returns its id; anything but 201 fails the test. */
  create(resource: { resourceType: string }): Promise<string>;
  /** PUT of a whole resource as the admin test client; anything but 200 fails the test. Returns what was stored. */
  update<T extends { resourceType: string; id?: string }>(resource: T): Promise<T>;
  /** A JSON call with a token: GET without a body, else `method` (POST by default). Status and parsed body. */
  call<T = unknown>(path: string, init: JsonCall): Promise<{ status: number; body: T }>;
}

export interface JsonCall {
  token?: string;
  method?: string;
  body?: unknown;
}

export const TEST_CLIENT = { id: 'test-admin', secret: 'test-admin-secret' };

/**
 * A real platform on a free port for HTTP tests: embedded PGlite in a temporary folder, or a
 * fresh schema on server PostgreSQL. `env` overrides configuration (e.g. no admin client, so
 * the demo accounts exist on the embedded database).
 */
export async function startTestPlatform(
  backend: TestBackend,
  env: Record<string, string | undefined> = {},
  options: { clock?: Clock } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'throughline-test-'));
  const postgres = backend.name === 'postgres' ? await createTestSchema() : undefined;
  const config = parseConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: postgres?.databaseUrl,
    LOG_LEVEL: 'silent',
    ADMIN_CLIENT_ID: TEST_CLIENT.id,
    ADMIN_CLIENT_SECRET: TEST_CLIENT.secret,
    ...env,
  });
  // The embedded database starts from a copy of a migrated one: no initdb and migrations per platform.
  if (!config.databaseUrl) await copyMigratedTemplate(join(config.dataDir, 'pglite'));
  const platform = await startPlatform(config, {
    logger: env.LOG_LEVEL ? undefined : silentLogger,
    clock: options.clock,
  });
  const token = (scope?: string) => adminClientToken(platform.url, scope);
  const fetchAs = auditedFetch(platform, token);
  return {
    ...platform,
    token,
    fetch: fetchAs,
    create: (resource) => createResource(fetchAs, resource),
    update: (resource) => updateResource(fetchAs, resource),
    call: (path, init) => jsonCall(fetchAs, path, init),
    async stop() {
      await platform.stop();
      if (postgres) await dropTestSchema(postgres.schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema on server PostgreSQL, and the database URL whose search path is that schema. */
async function createTestSchema(): Promise<{ schema: string; databaseUrl: string }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, maxConnections: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, databaseUrl: url.toString() };
}

async function dropTestSchema(schema: string): Promise<void> {
  const admin = openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, maxConnections: 1 });
  await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  await admin.close();
}

/** A client-credentials token for the admin test client (or the given scopes). */
function adminClientToken(platformUrl: string, scope?: string): Promise<string> {
  return clientCredentialsToken(platformUrl, { clientId: TEST_CLIENT.id, secret: TEST_CLIENT.secret, scope });
}

/** OAuth 2.0 `client_credentials` at the platform's token endpoint: the access token. */
export async function clientCredentialsToken(
  platformUrl: string,
  client: { clientId: string; secret: string; scope?: string },
): Promise<string> {
  const response = await fetch(`${platformUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
      ...(client.scope ? { scope: client.scope } : {}),
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** `fetch` on the platform as the admin test client (or `init.token`); every response is checked for its audit record. */
function auditedFetch(platform: Platform, token: () => Promise<string>): TestPlatform['fetch'] {
  let cached: string | undefined;
  return async (path, init = {}) => {
    const bearer = init.token ?? (cached ??= await token());
    const headers = new Headers(init.headers);
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/fhir+json');
    const response = await fetch(`${platform.url}${path}`, { ...init, headers });
    await assertAudited(platform.db, path, response.clone());
    return response;
  };
}

async function createResource(
  fetchAs: TestPlatform['fetch'],
  resource: { resourceType: string },
): Promise<string> {
  const response = await fetchAs(`/fhir/${resource.resourceType}`, {
    method: 'POST',
    body: JSON.stringify(resource),
  });
  if (response.status !== 201)
    throw new Error(`create ${resource.resourceType}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

async function updateResource<T extends { resourceType: string; id?: string }>(
  fetchAs: TestPlatform['fetch'],
  resource: T,
): Promise<T> {
  const response = await fetchAs(`/fhir/${resource.resourceType}/${resource.id}`, {
    method: 'PUT',
    body: JSON.stringify(resource),
  });
  if (response.status !== 200)
    throw new Error(`update ${resource.resourceType}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function jsonCall<T>(
  fetchAs: TestPlatform['fetch'],
  path: string,
  init: JsonCall,
): Promise<{ status: number; body: T }> {
  const response = await fetchAs(path, {
    method: init.body === undefined ? 'GET' : (init.method ?? 'POST'),
    token: init.token,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** A test platform per suite (call inside `describe`): started before its tests, stopped after. */
export function platformPerSuite(
  backend: TestBackend,
  env: Record<string, string | undefined> = {},
): TestPlatform {
  return suiteFixture(
    () => startTestPlatform(backend, env),
    (platform) => platform.stop(),
  );
}
