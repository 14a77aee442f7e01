import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { notFoundHandler } from './http-errors.ts';

/** The staff web app's production build (`npm start` builds it when missing or stale). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The web app's Content-Security-Policy. Scripts come only from this origin (the build has no
 * inline script); `style-src 'unsafe-inline'` because Mantine and the charts set style
 * attributes and CSS variables at run time — styles cannot run code. The page calls only its
 * own origin, cannot be framed, and cannot post forms elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths of the platform's APIs: never answered with the app's page. */
const apiPrefixes = ['/fhir', '/api', '/auth', '/oauth2', '/.well-known', '/healthz', '/assets'];

function isAppPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '/';
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

function sendPage(reply: FastifyReply, dist: string): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .sendFile('index.html', dist);
}

/**
 * Serves the built web app at `/`: hashed assets cached for a year, `index.html` revalidated,
 * and any other page path (`/patients/…`, a reload deep in the app) answered with the app,
 * which routes in the browser. Without a build, `/` stays the API's 404.
 */
export function registerWebApp(app: FastifyInstance, dist = WEB_DIST): void {
  if (!existsSync(`${dist}index.html`)) {
    app.setNotFoundHandler(notFoundHandler);
    return;
  }
  app.register(fastifyStatic, {
    root: `${dist}assets`,
    // Only the build's assets: a wildcard at `/` would also match every path the API's router
    // refuses (a FHIR id over 64 characters is a 400, not a missing file's 404).
    prefix: '/assets/',
    // Files are looked up when asked for, not listed once at start: a rebuild while the server
    // runs (a second `npm start`, a test's build, `npm run build:web`) swaps in an index.html
    // naming new hashed assets, which a start-time list did not have — the page came up blank.
    wildcard: true,
    // The build's stamp (.source-hash) is no page: a start-time list skipped dot files, so must this.
    dotfiles: 'ignore',
    index: false,
    // The build writes .br and .gz beside each asset (src/cli/build-web-app.ts).
    preCompressed: true,
    setHeaders: (response, path) => {
      const immutable = path.includes('/assets/');
      response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.addHook('onSend', async (request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  });
  app.get('/', (_request, reply) => sendPage(reply, dist));
  app.get('/favicon.svg', (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('favicon.svg', dist),
  );
  app.setNotFoundHandler((request, reply) =>
    isAppPage(request) ? sendPage(reply, dist) : notFoundHandler(request, reply),
  );
}
