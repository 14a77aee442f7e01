import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SqlDatabase } from '../../store/index.ts';
import { RETRY_AFTER_SECONDS } from '../http-errors.ts';

/** How long the readiness probe waits for `SELECT 1` before it calls the database away. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Health probes, open to anyone (no data in them):
 * - `/healthz/live`: the process answers. A lost database does not fail it, since restarting
 *   the process would not bring the database back (the pool reconnects by itself).
 * - `/healthz/ready` and `/healthz`: the process can serve, i.e. the database answers
 *   `SELECT 1`; 503 with Retry-After while it does not, so a load balancer sends traffic
 *   elsewhere and an orchestrator does not route to this instance.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: { db: SqlDatabase }): void {
  app.get('/healthz/live', async () => ({ status: 'ok' }));
  const ready = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (await databaseAnswers(deps.db)) return { status: 'ok', database: 'ok' };
    reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return reply.status(503).send({ status: 'unavailable', database: 'unavailable' });
  };
  app.get('/healthz/ready', ready);
  app.get('/healthz', ready);
}

async function databaseAnswers(db: SqlDatabase): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const probe = db.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
