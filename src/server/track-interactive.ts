import type { FastifyInstance } from 'fastify';
import { beginInteractive } from '../store/index.ts';

/**
 * Every HTTP request counts as interactive work from its arrival to its response (or its
 * socket closing): on the embedded database the reactions start no new slice meanwhile.
 */
export function registerInteractiveTracking(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const end = beginInteractive();
    reply.raw.once('close', end);
    request.raw.once('close', end);
  });
}
