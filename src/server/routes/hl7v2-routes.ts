import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerOutboundRoutes } from './hl7v2-outbound-routes.ts';
import { isIntegrationPrincipal, scopesAllow } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { parseBatch } from '../../hl7v2/index.ts';
import { processStored, type Hl7v2Deps } from '../../ingest/index.ts';
import {
  getInboundMessage,
  listInboundMessages,
  type InboundMessage,
  type InboundStatus,
  type MessageQuery,
} from '../../store/index.ts';
import { receiveHl7v2Message } from '../../ingest/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';

const HL7_TYPES = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'text/plain', 'application/edi-hl7'];

/**
 * HL7 v2 over HTTPS and the message store: `POST /hl7v2` (one message or a batch; the answer is
 * the ACK, or one ACK per message), and for integration engineers the message list, one
 * message with its raw bytes and ACK, the dead-letter list (`status=failed`) and reprocessing.
 * Integration access only: a system client with the integration or admin role
 * (`isIntegrationPrincipal`) whose token may still write any resource type. Staff and patients
 * are refused whatever their scopes: raw messages name every patient, and a message posted here
 * is written as the HL7 listener.
 */
export function registerHl7v2Routes(app: FastifyInstance, deps: ServerDeps, hl7: Hl7v2Deps): void {
  app.register(async (routes) => {
    routes.addContentTypeParser(HL7_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // The one bearer check (sessions, revocation, external tokens, audited rejections).
    routes.addHook('preHandler', authenticate(deps));
    routes.addHook('preHandler', requireIntegrationClient);
    routes.post('/hl7v2', async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body))
        throw new ThroughlineError('UNSUPPORTED_MEDIA_TYPE', `Send HL7 v2 as ${HL7_TYPES[0]}`);
      const acks: Buffer[] = [];
      for (const message of messagesIn(body))
        // What MSH-15/16 ask for: the ACK, or the accept and application ACKs (enhanced mode).
        acks.push(...(await receiveHl7v2Message(hl7, message, { kind: 'http', remote: request.ip })).send);
      return reply.type('x-application/hl7-v2+er7; charset=utf-8').send(Buffer.concat(acks));
    });
    registerMessageStoreRoutes(routes, deps, hl7);
    registerOutboundRoutes(routes, deps);
  });
}

/** A system client with the integration or admin role whose token may still write any type. */
async function requireIntegrationClient(request: FastifyRequest): Promise<void> {
  const principal = request.principal;
  if (!isIntegrationPrincipal(principal) || !scopesAllow(principal.scopes, '*', 'c'))
    throw new ThroughlineError(
      'FORBIDDEN',
      'HL7 v2 endpoints need a system client with the integration or admin role (system/*.cruds)',
    );
}

/** The messages of a posted body: each message of a batch (FHS/BHS), or the body as one message. */
function messagesIn(body: Buffer): Buffer[] {
  const isBatch = /^(\uFEFF)?(FHS|BHS)/.test(body.subarray(0, 8).toString('latin1'));
  return isBatch
    ? parseBatch(body).messages.map((message) =>
        Buffer.from(message.lines.map((line) => line.text).join('\r') + '\r'),
      )
    : [body];
}

/** The message store: the list (and dead letters), one message with its raw bytes and ACKs, reprocessing. */
function registerMessageStoreRoutes(routes: FastifyInstance, deps: ServerDeps, hl7: Hl7v2Deps): void {
  routes.get('/api/hl7v2/messages', async (request) => {
    const query = messageQueryOf(request.query as Record<string, string | undefined>);
    const messages = await listInboundMessages(deps.db, query);
    return { messages: messages.map(summary) };
  });
  routes.get<{ Params: { id: string } }>('/api/hl7v2/messages/:id', async (request) => {
    const message = await getInboundMessage(deps.db, request.params.id);
    return {
      ...summary(message),
      raw: message.raw.toString('utf8'),
      ack: message.ack?.toString('utf8'),
      applicationAck: message.applicationAck?.toString('utf8'),
    };
  });
  routes.post<{ Params: { id: string } }>('/api/hl7v2/messages/:id/reprocess', async (request) => {
    const message = await getInboundMessage(deps.db, request.params.id);
    if (message.status === 'processed' || message.duplicateOf)
      throw new ThroughlineError(
        'CONFLICT',
        `Message ${message.id} is ${message.status}; only failed messages are reprocessed`,
      );
    const result = await processStored(hl7, message, message.raw);
    return {
      id: message.id,
      status: result.status,
      ack: result.ack.toString('utf8'),
      applicationAck: result.applicationAck?.toString('utf8'),
    };
  });
}

const STATUSES: InboundStatus[] = ['received', 'processed', 'failed', 'rejected'];
const MAX_LIMIT = 1000;

/**
 * The list's filters, checked: bad input is a 400 naming the parameter, never a 500. `limit`
 * is 1–1000 (the store answers at most 500 a page; page on with `before`).
 */
export function messageQueryOf(query: Record<string, string | undefined>): MessageQuery {
  const status = query.status || undefined;
  if (status !== undefined && !STATUSES.includes(status as InboundStatus))
    throw invalidParameter('status', `status must be one of ${STATUSES.join(', ')}`);
  return {
    status: status as InboundStatus | undefined,
    messageType: query.type || undefined,
    controlId: query.controlId || undefined,
    beforeId: query.before
      ? integerOf('before', query.before, Number.MAX_SAFE_INTEGER).toString()
      : undefined,
    limit: query.limit ? integerOf('limit', query.limit, MAX_LIMIT) : undefined,
  };
}

function integerOf(name: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^\d{1,16}$/.test(value) || number < 1 || number > max)
    throw invalidParameter(name, `${name} must be an integer from 1 to ${max}`);
  return number;
}

const invalidParameter = (name: string, message: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression: name });

function summary(message: InboundMessage) {
  const { raw: _raw, ack: _ack, applicationAck: _applicationAck, ...rest } = message;
  return { ...rest, bytes: message.raw.length };
}
