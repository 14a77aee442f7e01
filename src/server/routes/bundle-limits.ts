import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ThroughlineError } from '../../kernel/errors.ts';

/**
 * A batch or transaction posted to `POST /fhir` runs as one unit of work: a 1,000-patient
 * transaction held the database for everyone, and a 10,000-entry one took the service down. So
 * a Bundle over `MAX_BUNDLE_ENTRIES` is refused (413) before anyone reads it; larger loads go
 * through `throughline import`, which is not limited.
 */
export function checkBundleEntries(body: unknown, maxEntries: number): void {
  if (!body || typeof body !== 'object') return;
  const bundle = body as { resourceType?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return;
  if (bundle.entry.length <= maxEntries) return;
  throw new ThroughlineError(
    'PAYLOAD_TOO_LARGE',
    `The Bundle has ${bundle.entry.length} entries; at most ${maxEntries} are accepted ` +
      '(MAX_BUNDLE_ENTRIES): split it, or load it with `throughline import`',
    { expression: 'Bundle.entry' },
  );
}

/** `POST /fhir` (and `/fhir/`): the batch/transaction endpoint. */
function isBundleEndpoint(request: FastifyRequest): boolean {
  if (request.method !== 'POST') return false;
  const path = request.url.split('?')[0];
  return path === '/fhir' || path === '/fhir/';
}

/** Registered from `build-app.ts`: runs before the routes' own hooks and handlers. */
export function registerBundleLimits(app: FastifyInstance, maxEntries: number): void {
  app.addHook('preHandler', async (request) => {
    if (isBundleEndpoint(request)) checkBundleEntries(request.body, maxEntries);
  });
}
