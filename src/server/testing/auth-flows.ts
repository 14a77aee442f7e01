import { createHash, randomBytes } from 'node:crypto';
import { upsertAppClient, upsertUser, type AppClientSpec } from '../../access/index.ts';
import type { TestPlatform } from './test-platform.ts';

/** Helpers for tests of sign-in, SMART app launch and token handling over the real HTTP API. */
export const STAFF_PASSWORD = 'correct horse battery staple';

/** A staff account's access; by default a physician with every user scope. */
export interface StaffAccess {
  scopes?: string[];
  roles?: string[];
}

export async function addStaffUser(
  platform: TestPlatform,
  email: string,
  access: StaffAccess = {},
): Promise<void> {
  const { scopes = ['user/*.cruds'], roles = ['physician'] } = access;
  await upsertUser(platform.db, { email, displayName: email, password: STAFF_PASSWORD, roles, scopes });
}

export async function addApp(
  platform: TestPlatform,
  spec: Partial<AppClientSpec> = {},
): Promise<AppClientSpec> {
  const app: AppClientSpec = {
    clientId: `app-${randomBytes(4).toString('hex')}`,
    name: 'Test app',
    redirectUris: ['https://app.example/callback'],
    scopes: ['user/*.rs', 'offline_access', 'online_access'],
    ...spec,
  };
  await upsertAppClient(platform.db, app);
  return app;
}

/** What a sign-in sends besides the email: the password (by default `STAFF_PASSWORD`) and a TOTP code. */
export interface LoginSecrets {
  password?: string;
  code?: string;
}

export async function login(
  platform: TestPlatform,
  email: string,
  secrets: LoginSecrets = {},
): Promise<{ status: number; body: Record<string, string> }> {
  const { password = STAFF_PASSWORD, code } = secrets;
  const response = await fetch(`${platform.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(code ? { code } : {}) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

export async function loginToken(platform: TestPlatform, email: string): Promise<string> {
  const { status, body } = await login(platform, email);
  if (status !== 200) throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token!;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `GET /oauth2/authorize` as the signed-in user; the answer is a redirect (not followed). */
export async function authorize(
  platform: TestPlatform,
  staffToken: string,
  parameters: Record<string, string>,
): Promise<{ status: number; location?: URL; body?: unknown }> {
  const response = await fetch(`${platform.url}/oauth2/authorize?${new URLSearchParams(parameters)}`, {
    headers: { authorization: `Bearer ${staffToken}` },
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (location) return { status: response.status, location: new URL(location) };
  return { status: response.status, body: await response.json() };
}

export async function tokenRequest(
  platform: TestPlatform,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${platform.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

export interface LaunchedApp {
  accessToken: string;
  refreshToken?: string;
  scope: string;
}

/** Who launches which app, asking for what. */
export interface AppLaunch {
  /** The signed-in staff user's access token. */
  staffToken: string;
  /** By default a new app of its own (`addApp`). */
  app?: AppClientSpec;
  /** By default `user/*.rs offline_access`. */
  scope?: string;
}

/** The whole standalone launch: authorize with PKCE, then exchange the code. */
export async function launchApp(platform: TestPlatform, launch: AppLaunch): Promise<LaunchedApp> {
  const { staffToken, scope = 'user/*.rs offline_access' } = launch;
  const app = launch.app ?? (await addApp(platform));
  const { verifier, challenge } = pkcePair();
  const redirectUri = app.redirectUris[0]!;
  const answer = await authorize(platform, staffToken, {
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: `${platform.url}/fhir`,
  });
  const code = answer.location?.searchParams.get('code');
  if (!code)
    throw new Error(`authorize failed: ${answer.status} ${answer.location ?? JSON.stringify(answer.body)}`);
  const exchanged = await tokenRequest(platform, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: app.clientId,
  });
  if (exchanged.status !== 200) throw new Error(`exchange failed: ${JSON.stringify(exchanged.body)}`);
  return {
    accessToken: exchanged.body.access_token!,
    scope: exchanged.body.scope!,
    ...(exchanged.body.refresh_token ? { refreshToken: exchanged.body.refresh_token } : {}),
  };
}

/** Audit rows of one action so far, to check that each rejection left exactly one. */
export async function auditCount(platform: TestPlatform, action: string): Promise<number> {
  const result = await platform.db.query<{ n: number }>(
    'SELECT count(*)::integer AS n FROM audit_log WHERE action = $1',
    [action],
  );
  return result.rows[0]!.n;
}
