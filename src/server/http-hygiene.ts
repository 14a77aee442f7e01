import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../kernel/config.ts';

/**
 * Timeouts of the Node HTTP server, so a client cannot hold a connection open for free: headers
 * must arrive within `HTTP_HEADERS_TIMEOUT_SECONDS` (a byte-at-a-time "slowloris" client is cut
 * off with 408), the whole request within `HTTP_REQUEST_TIMEOUT_SECONDS`, and an idle
 * keep-alive connection closes after `HTTP_KEEP_ALIVE_TIMEOUT_SECONDS`. A socket silent in both
 * directions for the request timeout is closed too (`connectionTimeout`).
 */
export function serverTimeouts(config: Config): Pick<
  FastifyServerOptions,
  'connectionTimeout' | 'keepAliveTimeout' | 'requestTimeout'
> & {
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  const headersTimeout = config.headersTimeoutSeconds * 1000;
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return {
    connectionTimeout: requestTimeout,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    requestTimeout,
    http: {
      headersTimeout,
      requestTimeout,
      // Node checks the two timeouts on this interval (default 30 s): a quarter of the headers
      // timeout keeps the cut-off close to what was configured.
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, headersTimeout / 4)),
    },
  };
}

/** Paths whose answers carry patient data or credentials: never stored by a browser or proxy. */
const noStorePrefixes = ['/fhir', '/api', '/auth', '/oauth2'];

const isUnder = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);

/**
 * Response headers on every answer: `X-Content-Type-Options: nosniff`; `Cache-Control: no-store`
 * under `/fhir`, `/api`, `/auth` and `/oauth2`; and `Strict-Transport-Security` when `BASE_URL`
 * is https — the operator's statement that clients reach us over TLS (a terminating proxy in
 * front), which, unlike an `X-Forwarded-Proto` header, a client cannot forge.
 */
export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const hsts = config.baseUrl.startsWith('https://');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (noStorePrefixes.some((prefix) => isUnder(request.url, prefix)))
      reply.header('cache-control', 'no-store');
    if (hsts) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}
