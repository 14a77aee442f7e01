import type { FastifyInstance } from 'fastify';
import { ThroughlineError } from '../../kernel/errors.ts';
import { listOutboundMessages, type OutboundMessage, type OutboundStatus } from '../../store/index.ts';
import type { ServerDeps } from '../server-deps.ts';

const STATUSES: OutboundStatus[] = ['pending', 'accepted', 'error', 'rejected'];

/**
 * The outbound half of the message store (issue 17), beside `/api/hl7v2/messages`: what was sent
 * to each `HL7_DESTINATIONS` entry, its status, attempts and the ACK that came back. Registered
 * inside the HL7 v2 routes, so only integration clients reach it.
 */
export function registerOutboundRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/hl7v2/outbound', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const status = query.status || undefined;
    if (status !== undefined && !STATUSES.includes(status as OutboundStatus))
      throw new ThroughlineError('INVALID_REQUEST', `status must be one of ${STATUSES.join(', ')}`, {
        expression: 'status',
      });
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new ThroughlineError('INVALID_REQUEST', 'limit must be an integer from 1 to 1000', {
        expression: 'limit',
      });
    const messages = await listOutboundMessages(deps.db, {
      destination: query.destination || undefined,
      status: status as OutboundStatus | undefined,
      limit,
    });
    return { messages: messages.map(shown) };
  });
}

function shown(message: OutboundMessage) {
  return { ...message, raw: message.raw.toString('utf8'), ack: message.ack?.toString('utf8') };
}
