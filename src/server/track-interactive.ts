import type { FastifyInstance } from 'fastify';
import { beginInteractive } from '../store/index.ts';

/**
 * Every HTTP request counts as interactive work from its arrival to its response (or its
 * connection closing first): meanwhile the reactions start no new slice on the embedded
 * database, and wait before each statement on server PostgreSQL. The response's 'close' says
 * both; the request's own 'close' does not — it fires once the body has been read, before the
 * handler has done its work.
 */
export function registerInteractiveTracking(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.once('close', beginInteractive());
  });
}
