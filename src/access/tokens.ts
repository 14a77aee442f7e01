import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { ThroughlineError } from '../kernel/errors.ts';
import type { SqlExecutor } from '../store/index.ts';
import type { Principal } from './principal.ts';

export interface TokenSettings {
  /** Issuer and audience: the server's base URL and its FHIR base. */
  issuer: string;
  audience: string;
  ttlSeconds: number;
  key: Uint8Array;
}

/**
 * The signing key: JWT_SECRET when configured, else one generated on first start and kept in
 * the database so tokens survive restarts and work across nodes.
 */
export async function loadSigningKey(db: SqlExecutor, configured: string | undefined): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const generated = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO platform_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    'jwt',
    generated,
  ]);
  const row = await db.query<{ value: string }>('SELECT value FROM platform_secret WHERE name = $1', ['jwt']);
  return new TextEncoder().encode(row.rows[0]!.value);
}

/** What a token is bound to besides its principal: the server-side session, the app. */
export interface TokenBinding {
  /** `auth_session` id: the verifier refuses the token once that session ends. */
  sessionId?: string;
  /** The app (OAuth client) a user's token was issued to; absent for direct sign-in. */
  clientId?: string;
}

export interface VerifiedToken extends TokenBinding {
  principal: Principal;
}

export async function issueAccessToken(
  settings: TokenSettings,
  principal: Principal,
  binding: TokenBinding = {},
): Promise<string> {
  return new SignJWT({
    scope: principal.scopes.join(' '),
    kind: principal.kind,
    roles: principal.roles,
    name: principal.display,
    ...(principal.patient ? { patient: principal.patient } : {}),
    ...(binding.sessionId ? { sid: binding.sessionId } : {}),
    ...(binding.clientId ? { client_id: binding.clientId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.id)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setJti(randomBytes(12).toString('base64url'))
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .sign(settings.key);
}

/**
 * Verifies signature (HS256 only: `alg: none` and key confusion are refused), issuer, audience,
 * expiry, and reads principal and binding. Throws jose's own errors, which say why; the session
 * check lives with the sessions (`auth/verify-bearer.ts`).
 */
export async function readAccessToken(settings: TokenSettings, token: string): Promise<VerifiedToken> {
  const { payload } = await jwtVerify(token, settings.key, {
    algorithms: ['HS256'],
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['sub', 'exp'],
  });
  const kind = payload.kind === 'user' ? 'user' : 'system';
  const principal: Principal = {
    kind,
    id: String(payload.sub),
    display: typeof payload.name === 'string' ? payload.name : String(payload.sub),
    roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
    ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
  };
  return {
    principal,
    ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
    ...(typeof payload.client_id === 'string' ? { clientId: payload.client_id } : {}),
  };
}

/** The signature and claims check alone, as a coded error (no session check: see verify-bearer). */
export async function verifyAccessToken(settings: TokenSettings, token: string): Promise<Principal> {
  try {
    return (await readAccessToken(settings, token)).principal;
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'Access token expired' : 'Invalid access token';
    throw new ThroughlineError('UNAUTHENTICATED', reason);
  }
}
