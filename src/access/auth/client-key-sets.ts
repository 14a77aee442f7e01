import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/**
 * One remote key set per URL for the life of the process, so jose's cache is shared by every
 * assertion of that client: a known key costs no request; an unknown `kid` (a rotation) fetches
 * the set again, at most once per cooldown. A fetch that fails or hangs fails the assertion
 * (invalid_client), never the request.
 */
const remoteSets = new Map<string, JWTVerifyGetKey>();

const REMOTE_OPTIONS = { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 };

/** The keys a client's assertions are checked against: registered inline, or at its `jwks_uri`. */
export function clientKeySet(row: {
  jwks: string | null;
  jwks_uri: string | null;
}): JWTVerifyGetKey | undefined {
  if (row.jwks) return createLocalJWKSet(JSON.parse(row.jwks) as JSONWebKeySet);
  if (!row.jwks_uri) return undefined;
  let set = remoteSets.get(row.jwks_uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(row.jwks_uri), REMOTE_OPTIONS);
    remoteSets.set(row.jwks_uri, set);
  }
  return set;
}

/**
 * A JWKS URL as it may be registered: https, or http to a loopback address (a gateway or a test
 * on this machine). Throws a plain Error naming the problem (registration is an operator's act).
 */
export function checkJwksUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`jwks_uri is not a URL: ${uri}`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`jwks_uri must be https (http only to a loopback address): ${uri}`);
  return url.toString();
}
