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

export async function issueAccessToken(settings: TokenSettings, principal: Principal): Promise<string> {
  return new SignJWT({
    scope: principal.scopes.join(' '),
    kind: principal.kind,
    roles: principal.roles,
    name: principal.display,
    ...(principal.patient ? { patient: principal.patient } : {}),
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

/** Verifies signature (HS256 only: `alg: none` and key confusion are refused), issuer, audience, expiry. */
export async function verifyAccessToken(settings: TokenSettings, token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, settings.key, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    const kind = payload.kind === 'user' ? 'user' : 'system';
    return {
      kind,
      id: String(payload.sub),
      display: typeof payload.name === 'string' ? payload.name : String(payload.sub),
      roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
    };
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'Access token expired' : 'Invalid access token';
    throw new ThroughlineError('UNAUTHENTICATED', reason);
  }
}
