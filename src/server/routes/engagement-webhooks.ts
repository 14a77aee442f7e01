import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  isTwilioSignatureValid,
  isWhatsappSignatureValid,
  receiveCall,
  receiveReply,
  recordDeliveryStatus,
  type DeliveryState,
  type EngagementDeps,
} from '../../engagement/index.ts';
import { scopeRepository } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { engagementPrincipal, engagementService } from '../engagement-service.ts';
import { whatsappEvents } from './whatsapp-events.ts';

type Pairs = [string, string][];

/**
 * Provider webhooks: delivery status, inbound replies and inbound calls. No bearer token — the provider's
 * signature is the authentication (X-Twilio-Signature over the public URL and the sorted form
 * parameters; X-Hub-Signature-256 over the raw body). A wrong one is a 403 OperationOutcome and
 * nothing is written. What they write, they write as the engagement service, audited per request.
 */
export function registerEngagementWebhooks(app: FastifyInstance, deps: ServerDeps): void {
  const base = engagementService({
    repository: deps.repository,
    db: deps.db,
    config: deps.config,
    clock: deps.clock,
  });
  const engagementFor = (request: FastifyRequest): EngagementDeps => ({
    ...base,
    repository: scopeRepository(deps.repository, {
      principal: engagementPrincipal,
      context: { requestId: request.id, remoteAddress: request.ip },
      auditDb: deps.db,
    }),
  });
  app.register(async (routes) => registerTwilio(routes, { deps, engagementFor }));
  app.register(async (routes) => registerWhatsapp(routes, { deps, engagementFor }));
}

interface WebhookDeps {
  deps: ServerDeps;
  engagementFor: (request: FastifyRequest) => EngagementDeps;
}

const TWILIO_STATES: Record<string, DeliveryState> = {
  accepted: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  completed: 'delivered',
  busy: 'failed',
  'no-answer': 'failed',
  canceled: 'failed',
};

/** The form of a Twilio webhook whose X-Twilio-Signature holds (else a 403, before anything is read). */
function verifiedTwilioForm(deps: ServerDeps, request: FastifyRequest<{ Body: Pairs }>): Map<string, string> {
  const token = deps.config.twilioAuthToken;
  const params = Array.isArray(request.body) ? request.body : [];
  const url = `${deps.config.baseUrl}${request.url}`;
  const header = request.headers['x-twilio-signature'];
  const signature = typeof header === 'string' ? header : undefined;
  if (!token || !isTwilioSignatureValid(token, { url, params, signature }))
    throw new ThroughlineError('FORBIDDEN', 'X-Twilio-Signature is missing or does not match', {
      expression: 'X-Twilio-Signature',
    });
  return new Map(params);
}

function registerTwilio(routes: FastifyInstance, { deps, engagementFor }: WebhookDeps): void {
  const verify = (request: FastifyRequest<{ Body: Pairs }>) => verifiedTwilioForm(deps, request);
  routes.post<{ Body: Pairs }>('/webhooks/twilio/voice', async (request, reply) => {
    await recordInboundCall(engagementFor(request), verify(request));
    return reply.type('text/xml').send('<Response/>');
  });
  routes.post<{ Body: Pairs; Querystring: { attempt?: string } }>(
    '/webhooks/twilio/status',
    async (request, reply) => {
      const form = verify(request);
      // A number whose call status callback points here: inbound calls are the patient calling.
      if (form.get('Direction') === 'inbound' && form.has('CallSid')) {
        await recordInboundCall(engagementFor(request), form);
        return reply.type('text/xml').send('<Response/>');
      }
      const sid = form.get('MessageSid') ?? form.get('CallSid');
      const status = form.get('MessageStatus') ?? form.get('CallStatus') ?? '';
      if (sid && TWILIO_STATES[status])
        await recordDeliveryStatus(engagementFor(request), {
          providerId: sid,
          state: TWILIO_STATES[status],
          reason: form.get('ErrorCode'),
          // Our StatusCallback names the attempt; the signature covers the URL with its query.
          ...(request.query.attempt ? { attempt: { id: request.query.attempt } } : {}),
        });
      return reply.type('text/xml').send('<Response/>');
    },
  );
  routes.post<{ Body: Pairs }>('/webhooks/twilio/sms', async (request, reply) => {
    const form = verify(request);
    const [from, text, sid] = [form.get('From'), form.get('Body'), form.get('MessageSid')];
    if (!from || text === undefined || !sid)
      throw new ThroughlineError('INVALID_REQUEST', 'From, Body and MessageSid are required', {
        expression: 'Body',
      });
    await receiveReply(engagementFor(request), { channel: 'sms', from, text, providerId: sid });
    return reply.type('text/xml').send('<Response/>');
  });
}

/** How an inbound call ended, answered or not (Twilio `CallStatus`, or `DialCallStatus` of a `<Dial>`). */
const CALL_ENDS: Record<string, boolean> = {
  completed: true,
  answered: true,
  'no-answer': false,
  busy: false,
  failed: false,
  canceled: false,
};

/**
 * An inbound call's status callback: when it has ended (not while ringing or in progress), it
 * goes on the caller's timeline, and a missed one on the call-backs worklist. `DialCallStatus`
 * (the `<Dial>` to the front desk) decides over `CallStatus`: the call reached Twilio, not a person.
 */
async function recordInboundCall(engagement: EngagementDeps, form: Map<string, string>): Promise<void> {
  const status = form.get('DialCallStatus') ?? form.get('CallStatus') ?? '';
  if (!(status in CALL_ENDS)) return;
  const [from, sid] = [form.get('From'), form.get('CallSid')];
  if (!from || !sid)
    throw new ThroughlineError('INVALID_REQUEST', 'From and CallSid are required', { expression: 'CallSid' });
  const duration = Number(form.get('DialCallDuration') ?? form.get('CallDuration'));
  await receiveCall(engagement, {
    from,
    providerId: sid,
    answered: CALL_ENDS[status]!,
    status,
    ...(duration > 0 ? { durationSeconds: duration } : {}),
  });
}

function registerWhatsapp(routes: FastifyInstance, { deps, engagementFor }: WebhookDeps): void {
  // The signature covers the raw bytes: this route group keeps the body as it arrived.
  routes.removeContentTypeParser(['application/json']);
  routes.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  routes.get<{ Querystring: Record<string, string | undefined> }>(
    '/webhooks/whatsapp',
    async (request, reply) => {
      const query = request.query;
      const expected = deps.config.whatsappVerifyToken;
      if (query['hub.mode'] !== 'subscribe' || !expected || query['hub.verify_token'] !== expected)
        throw new ThroughlineError('FORBIDDEN', 'hub.verify_token does not match', {
          expression: 'hub.verify_token',
        });
      return reply.type('text/plain').send(query['hub.challenge'] ?? '');
    },
  );
  routes.post<{ Body: Buffer }>('/webhooks/whatsapp', async (request, reply) => {
    const secret = deps.config.whatsappAppSecret;
    const signature = request.headers['x-hub-signature-256'];
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (
      !secret ||
      !isWhatsappSignatureValid(secret, {
        rawBody,
        signature: typeof signature === 'string' ? signature : undefined,
      })
    )
      throw new ThroughlineError('FORBIDDEN', 'X-Hub-Signature-256 is missing or does not match', {
        expression: 'X-Hub-Signature-256',
      });
    const events = whatsappEvents(rawBody);
    const engagement = engagementFor(request);
    for (const status of events.statuses) await recordDeliveryStatus(engagement, status);
    for (const message of events.messages) await receiveReply(engagement, message);
    return reply.code(200).send({ ok: true });
  });
}
