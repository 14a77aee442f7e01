import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, requireOperation, type AuditEntry } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { processStored, type Hl7v2Deps } from '../../ingest/index.ts';
import {
  getInboundMessage,
  listInboundMessages,
  listOutboundMessages,
  type InboundMessage,
  type OutboundMessage,
  type OutboundStatus,
} from '../../store/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { resendOutbound } from '../../automation/index.ts';
import { hl7OutService } from '../connectors-service.ts';
import { authenticate } from './auth-hook.ts';
import { messageQueryOf } from './hl7v2-routes.ts';

/**
 * The staff app's integration console (issue 19): for an administrator, the HL7 v2 message
 * store — what arrived, what failed and why, what went out — and reprocessing of a failed
 * message. A person's view, not an integration client's: it never carries the raw bytes or the
 * ACKs, only each message's segment outline, because raw messages name every patient and carry
 * sensitive results beyond an administrator's labels (`/api/hl7v2/messages` stays for system
 * clients, issue 12). Every list and reprocess is audited with the patients it touched.
 */
export function registerIntegrationConsoleRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  hl7: Hl7v2Deps,
): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.addHook('preHandler', async (request: FastifyRequest) =>
      requireOperation(
        request.principal,
        'integration-console',
        'The integration console is for administrators',
      ),
    );
    routes.get('/api/integration/messages', async (request) => {
      const messages = await listInboundMessages(deps.db, messageQueryOf(queryOf(request)));
      await audit(deps, request, { action: 'hl7v2-message-list', patients: messages.flatMap(patientsOf) });
      return { messages: messages.map(inboundOutline) };
    });
    routes.post<{ Params: { id: string } }>('/api/integration/messages/:id/reprocess', (request) =>
      reprocess({ deps, hl7, request, id: request.params.id }),
    );
    routes.post<{ Params: { id: string } }>('/api/integration/outbound/:id/resend', (request, reply) =>
      resend({ deps, request, id: request.params.id }).then((message) =>
        reply.header('ETag', `W/"${message.attempts}"`).send(outboundOutline(message)),
      ),
    );
    routes.get('/api/integration/outbound', async (request) => {
      const messages = await listOutboundMessages(deps.db, { status: outboundStatusOf(request), limit: 100 });
      await audit(deps, request, {
        action: 'hl7v2-outbound-list',
        patients: messages.flatMap(outboundPatients),
      });
      return { messages: messages.map(outboundOutline) };
    });
  });
}

/** Runs a failed message through ingest again (as the HL7 listener, as on arrival), audited. */
async function reprocess(options: { deps: ServerDeps; hl7: Hl7v2Deps; request: FastifyRequest; id: string }) {
  const { deps, hl7, request } = options;
  const message = await getInboundMessage(deps.db, messageIdOf(options.id));
  if (message.status === 'processed' || message.duplicateOf)
    throw new ThroughlineError(
      'CONFLICT',
      `Message ${message.id} is ${message.status}; only failed messages are reprocessed`,
    );
  const result = await processStored(hl7, message, message.raw);
  const after = await getInboundMessage(deps.db, message.id);
  await audit(deps, request, {
    action: 'hl7v2-message-reprocess',
    patients: patientsOf(after),
    detail: `message ${message.id}: ${result.status}`,
  });
  return inboundOutline(after);
}

/**
 * Sends a kept outbound message again (same bytes, same MSH-10) to its destination, audited.
 * `If-Match: W/"<attempts>"` names the attempts the administrator saw: a repeated request finds
 * one more and sends nothing (412), so a double click resends once.
 */
async function resend(options: {
  deps: ServerDeps;
  request: FastifyRequest;
  id: string;
}): Promise<OutboundMessage> {
  const { deps, request } = options;
  const attempts = attemptsOf(request.headers['if-match']);
  const message = await resendOutbound(hl7OutService(deps), { id: messageIdOf(options.id), attempts });
  await audit(deps, request, {
    action: 'hl7v2-outbound-resend',
    patients: outboundPatients(message),
    detail: `message ${message.id} to ${message.destination}: ${message.status}`,
  });
  return message;
}

function attemptsOf(header: string | undefined): number {
  const attempts = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header?.trim() ?? '')?.[1];
  if (attempts === undefined)
    throw new ThroughlineError('INVALID_REQUEST', 'If-Match must name the attempts you saw: W/"<attempts>"', {
      expression: 'If-Match',
    });
  return Number(attempts);
}

const queryOf = (request: FastifyRequest) => request.query as Record<string, string | undefined>;

const OUTBOUND_STATUSES: OutboundStatus[] = ['pending', 'accepted', 'error', 'rejected'];

function outboundStatusOf(request: FastifyRequest): OutboundStatus | undefined {
  const status = queryOf(request).status || undefined;
  if (status !== undefined && !OUTBOUND_STATUSES.includes(status as OutboundStatus))
    throw new ThroughlineError('INVALID_REQUEST', `status must be one of ${OUTBOUND_STATUSES.join(', ')}`, {
      expression: 'status',
    });
  return status as OutboundStatus | undefined;
}

function messageIdOf(id: string): string {
  if (!/^\d{1,16}$/.test(id))
    throw new ThroughlineError('INVALID_REQUEST', 'A message id is a number', { expression: 'id' });
  return id;
}

async function audit(
  deps: ServerDeps,
  request: FastifyRequest,
  entry: Omit<AuditEntry, 'outcome'>,
): Promise<void> {
  await recordAudit(
    deps.db,
    { principal: request.principal, context: { requestId: request.id, remoteAddress: request.ip } },
    { ...entry, outcome: 'success' },
  );
}

const patientsOf = (message: InboundMessage) =>
  message.resources
    .filter((reference) => reference.startsWith('Patient/'))
    .map((reference) => reference.slice(8));

/** `Patient/{id}/_history/{v}` names the patient; an ORU's DiagnosticReport does not. */
const outboundPatients = (message: OutboundMessage) =>
  message.resource?.startsWith('Patient/') ? [message.resource.split('/')[1]!] : [];

/** Segment ids in order (MSH, PID, OBX…): the message's shape without one of its values. */
function segmentsOf(raw: Buffer): string[] {
  return raw
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .map((line) => line.slice(0, 3))
    .filter((id) => /^[A-Z][A-Z0-9]{2}$/.test(id));
}

function inboundOutline(message: InboundMessage) {
  const { raw, ack: _ack, applicationAck: _applicationAck, ...rest } = message;
  return { ...rest, bytes: raw.length, segments: segmentsOf(raw) };
}

function outboundOutline(message: OutboundMessage) {
  const { raw, ack: _ack, ...rest } = message;
  return { ...rest, bytes: raw.length, segments: segmentsOf(raw) };
}
