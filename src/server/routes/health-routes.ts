import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pingDatabase, type SqlDatabase } from '../../store/index.ts';
import { RETRY_AFTER_SECONDS } from '../http-errors.ts';

/** How long the readiness probe waits for the database before it calls the database away. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Health probes, open to anyone (no data in them):
 * - `/healthz/live`: the process answers. A lost database does not fail it, since restarting
 *   the process would not bring the database back (the pool reconnects by itself).
 * - `/healthz/ready` and `/healthz`: the process can serve, i.e. the database answers
 *   a trivial query (`pingDatabase`); 503 with Retry-After while it does not, so a load balancer sends traffic
 *   elsewhere and an orchestrator does not route to this instance.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: { db: SqlDatabase }): void {
  app.get('/healthz/live', async () => ({ status: 'ok' }));
  const ready = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (await pingDatabase(deps.db, PROBE_TIMEOUT_MS)) return { status: 'ok', database: 'ok' };
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return reply.status(503).send({ status: 'unavailable', database: 'unavailable' });
  };
  app.get('/healthz/ready', ready);
  app.get('/healthz', ready);
}
