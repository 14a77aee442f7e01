import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireOperation, type PlatformOperation } from '../../access/index.ts';
import {
  callCommunicationOf,
  CHANNELS,
  listDeferred,
  openCallBack,
  outreachRequester,
  PURPOSES,
  type CallRecord,
  type Channel,
  type Purpose,
} from '../../engagement/index.ts';
import { listOutboxMessages } from '../../store/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { oneOf, patientRef, text, type Body } from './body-fields.ts';

function assertMay(request: FastifyRequest, operation: PlatformOperation): void {
  requireOperation(request.principal, operation, `Your role is not granted ${operation}`);
}

/**
 * Engagement over HTTP, through the checkpoint: the local outbox (what would have been sent, and
 * what waits for its send window),
 * a one-off message on a permitted channel (a CommunicationRequest the engine delivers at once,
 * with every rule of the moment of sending), and a logged call or missed call.
 */
export function registerEngagementRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    registerOutboxRoutes(routes, deps);
    routes.post<{ Body: Body }>('/api/engagement/messages', async (request, reply) => {
      assertMay(request, 'engagement-send');
      const body = request.body;
      const requestOutreach = outreachRequester(request.fhir, deps.clock);
      const created = await requestOutreach({
        patient: patientRef(body),
        channel: oneOf<Channel>(body, 'channel', CHANNELS),
        purpose: oneOf<Purpose>(body, 'purpose', PURPOSES),
        text: text(body, 'text'),
        priority: 'asap',
      });
      return reply.code(202).send({ request: `CommunicationRequest/${created.id}` });
    });
    routes.post<{ Body: Body }>('/api/engagement/calls', async (request, reply) => {
      assertMay(request, 'engagement-log-call');
      const call = loggedCall(request.body, deps.clock.now());
      const { resource } = await request.fhir.create(callCommunicationOf(call));
      // A missed call from the patient asks for a call-back, as one the provider reported does.
      if (call.missed && call.direction === 'inbound')
        await openCallBack({ repository: request.fhir, clock: deps.clock }, { call: resource });
      return reply.code(201).send({ communication: `Communication/${resource.id}` });
    });
  });
}

/** The outbox: what went to the local sink, and what fell due but waits for its send window. */
function registerOutboxRoutes(routes: FastifyInstance, deps: ServerDeps): void {
  type Query = { Querystring: Record<string, string | undefined> };
  const countOf = (query: Query['Querystring']) =>
    Math.min(Math.max(Number(query._count ?? 50) || 50, 1), 500);
  routes.get<Query>('/api/engagement/outbox', async (request) => {
    assertMay(request, 'engagement-outbox');
    const offset = Math.max(Number(request.query._offset ?? 0) || 0, 0);
    return { messages: await listOutboxMessages(deps.db, { limit: countOf(request.query), offset }) };
  });
  // Due requests put back by quiet hours or the SMS cap: when each goes next and why.
  routes.get<Query>('/api/engagement/outbox/deferred', async (request) => {
    assertMay(request, 'engagement-outbox');
    const limit = countOf(request.query);
    return {
      deferred: await listDeferred(request.fhir, {
        now: deps.clock.now(),
        limit,
        clinicTimeZone: deps.config.clinicTimeZone,
      }),
    };
  });
}

/** A call the staff logged: inbound or outbound, answered or missed, with what was said. */
function loggedCall(body: Body, now: Date): CallRecord {
  return {
    patient: patientRef(body),
    direction: oneOf(body, 'direction', ['inbound', 'outbound'] as const),
    missed: body?.missed === true,
    at: now.toISOString(),
    note: text(body, 'note'),
  };
}
