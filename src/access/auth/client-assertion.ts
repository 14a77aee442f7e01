import { decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Clock } from '../../kernel/clock.ts';
import type { SqlExecutor } from '../../store/index.ts';
import { clientPrincipal, type Principal } from '../principal.ts';
import { clientKeySet } from './client-key-sets.ts';
import { OAuthError } from './oauth-error.ts';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT the client signed. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * SMART Backend Services' signing algorithms. Asymmetric only: a JWKS of public keys must never
 * be usable as an HMAC secret (key confusion).
 */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'];

/** SMART: `exp` "no more than five minutes in the future". */
const MAX_LIFETIME_SECONDS = 300;

const invalidClient = (description: string) => new OAuthError('invalid_client', description, 401);

/**
 * SMART Backend Services (`private_key_jwt`, RFC 7523): the client's signed assertion checked
 * against the JWKS registered for it (inline, or at its `jwks_uri`) — `iss` = `sub` = the client id, `aud` = our token
 * endpoint, RS384 or ES384, `exp` at most five minutes ahead, a `jti` never seen before (kept
 * until it expires: a replay is refused). Any failure is `invalid_client` (401).
 */
export async function authenticateClientAssertion(
  db: SqlExecutor,
  input: { assertion: string; tokenUrl: string; clock: Clock },
): Promise<Principal> {
  const clientId = claimedClient(input.assertion);
  const row = await clientRow(db, clientId);
  const keys = row && clientKeySet(row);
  if (!row || !keys) throw invalidClient('No key set is registered for this client');
  const now = Math.floor(input.clock.now().getTime() / 1000);
  const verified = await jwtVerify(input.assertion, keys, {
    algorithms: ASSERTION_ALGORITHMS,
    issuer: clientId,
    subject: clientId,
    audience: input.tokenUrl,
    requiredClaims: ['exp', 'jti'],
    currentDate: input.clock.now(),
  }).catch(() => {
    throw invalidClient('The client assertion is not valid for this client and endpoint');
  });
  const { exp, jti } = verified.payload as { exp: number; jti: string };
  if (exp > now + MAX_LIFETIME_SECONDS)
    throw invalidClient('The client assertion expires more than five minutes from now');
  await rememberJti(db, { clientId, jti, exp, now });
  return clientPrincipal(clientId, row);
}

/** The client the assertion says it is from (`iss`, which must equal `sub`); verified after. */
function claimedClient(assertion: string): string {
  let claims: { iss?: unknown; sub?: unknown };
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw invalidClient('The client assertion is not a JWT');
  }
  if (typeof claims.iss !== 'string' || claims.iss === '' || claims.iss !== claims.sub)
    throw invalidClient('The client assertion must name the client in both iss and sub');
  return claims.iss;
}

async function clientRow(db: SqlExecutor, clientId: string) {
  const result = await db.query<{
    jwks: string | null;
    jwks_uri: string | null;
    name: string;
    scopes: string;
    roles: string[];
  }>('SELECT jwks, jwks_uri, name, scopes, roles FROM oauth_client WHERE client_id = $1', [clientId]);
  return result.rows[0];
}

/** Accepts a `jti` once per client; forgets those already expired (they could not verify again). */
async function rememberJti(
  db: SqlExecutor,
  seen: { clientId: string; jti: string; exp: number; now: number },
) {
  await db.query('DELETE FROM client_assertion_jti WHERE expires_at < to_timestamp($1)', [seen.now]);
  const inserted = await db.query(
    `INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES ($1, $2, to_timestamp($3))
     ON CONFLICT DO NOTHING RETURNING jti`,
    [seen.clientId, seen.jti, seen.exp],
  );
  if (inserted.rows.length === 0) throw invalidClient('This client assertion (jti) was already used');
}

/**
 * A client's JSON Web Key Set as it may be registered: public RSA or EC keys only (a private
 * part would mean the key was shared with us, which defeats the point). Throws a plain Error
 * naming the problem (registration is an operator's act: config or CLI).
 */
export function checkClientJwks(jwks: unknown): JSONWebKeySet {
  const keys = (jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('A JWKS needs a non-empty "keys" array');
  for (const [at, key] of keys.entries()) {
    const jwk = key as Record<string, unknown>;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw new Error(`keys[${at}]: kty must be RSA or EC`);
    if ('d' in jwk) throw new Error(`keys[${at}]: a private key; register the public key only`);
  }
  return jwks as JSONWebKeySet;
}
