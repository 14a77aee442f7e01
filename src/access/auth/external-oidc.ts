import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from '../principal.ts';
import type { OidcSettings } from './auth-settings.ts';

/**
 * Asymmetric algorithms only. The provider's keys are public, so accepting HS256 here would
 * let anyone sign with a public key as the HMAC secret (key confusion); jose also refuses to
 * use an RSA or EC key for HMAC, and this list makes the rule explicit.
 */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Prefix of external principals' ids, so an external `sub` can never name a local user. */
export const EXTERNAL_ID_PREFIX = 'oidc:';

export type ExternalTokenVerifier = (token: string) => Promise<Principal>;

/**
 * Accepts access tokens of an external OpenID Connect provider, verified against its JWKS
 * (fetched on first use and cached by jose, refetched when an unknown `kid` appears, so key
 * rotation needs no restart). Throws jose's errors.
 */
export function createExternalTokenVerifier(settings: OidcSettings): ExternalTokenVerifier {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ASYMMETRIC_ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
    });
    return principalOfClaims(payload, settings.rolesClaim);
  };
}

/** Scopes from `scope` (RFC 9068, space-separated) or `scp` (array, as some providers send). */
export function principalOfClaims(payload: JWTPayload, rolesClaim: string): Principal {
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : stringsOf(payload.scp);
  const display = [payload.name, payload.preferred_username, payload.email].find(
    (value): value is string => typeof value === 'string',
  );
  return {
    kind: 'user',
    id: `${EXTERNAL_ID_PREFIX}${payload.sub}`,
    display: display ?? String(payload.sub),
    roles: stringsOf(claimAt(payload, rolesClaim)),
    scopes: scopes.filter(Boolean),
    ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
  };
}

/** `realm_access.roles` → payload.realm_access.roles (Keycloak nests its roles). */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
