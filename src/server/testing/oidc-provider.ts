import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { TestBackend } from '../../store/testing/backends.ts';
import { platformBesidePerSuite } from './platform-beside.ts';
import type { TestPlatform } from './test-platform.ts';

/**
 * A stand-in OpenID Connect provider for tests: a real HTTP server on a free port serving a
 * JWKS with one RS256 key generated per run, and a signer for that key.
 */
export interface OidcTestProvider {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** The public key as served in the JWKS (tests use it for key-confusion attempts). */
  publicJwk: JWK;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  stop(): Promise<void>;
}

interface SignOptions {
  expiresIn?: string | number;
  kid?: string;
  issuer?: string;
  audience?: string;
}

export async function startOidcProvider(): Promise<OidcTestProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/jwks') return void response.writeHead(404).end();
    fetches++;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = 'https://idp.example/realms/clinic';
  const audience = 'throughline-api';
  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    audience,
    publicJwk,
    sign: (claims, options = {}) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? publicJwk.kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey),
    fetches: () => fetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A platform that accepts this provider's tokens (issuer, JWKS over HTTP, audience) beside its
 * own, per suite (call inside `describe`); `env` adds settings.
 */
export function oidcPlatformPerSuite(
  backend: TestBackend,
  env: Record<string, string> = {},
): { platform: TestPlatform; provider: OidcTestProvider } {
  const { platform, fake } = platformBesidePerSuite(backend, {
    start: startOidcProvider,
    env: (provider) => ({
      ...env,
      OIDC_ISSUER: provider.issuer,
      OIDC_JWKS_URL: provider.jwksUrl,
      OIDC_AUDIENCE: provider.audience,
    }),
    stop: (provider) => provider.stop(),
  });
  return { platform, provider: fake };
}
