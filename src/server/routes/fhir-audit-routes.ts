import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEvent } from '@medplum/fhirtypes';
import {
  auditQueryOfFhir,
  countAuditLog,
  readAuditLog,
  recordExternalAuditEvent,
  toAuditEvent,
  type AuditQuery,
} from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { auditSearchset } from './audit-searchset.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { bodyResource, queryPairs, resourceId } from './fhir-request.ts';

/**
 * The hash-chained audit log as FHIR `AuditEvent`s (issue 13 item 2): search and read under
 * the same role rules as `/api/audit` (every read of the log is itself audited), and `POST`
 * for integration clients, whose events join the chain. The store holds no AuditEvents:
 * these routes take the type's paths before the generic FHIR routes.
 */
export function registerFhirAuditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const base = `${deps.config.baseUrl}/fhir/AuditEvent`;
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    registerAuditEventReads(routes, deps, base);
    registerAuditEventWrites(routes, deps, base);
  });
}

/** Search (`GET`, and `POST _search` with a form body) and read by id. */
function registerAuditEventReads(routes: FastifyInstance, deps: ServerDeps, base: string): void {
  const search = async (request: FastifyRequest, params: [string, string][]) => {
    const query = auditQueryOfFhir(params);
    const rows = await readAuditLog(
      deps.db,
      { principal: request.principal, context: contextOf(request) },
      query,
    );
    const total = query.total ? await countAuditLog(deps.db, query) : undefined;
    return auditSearchset(rows, { query, base, total, linkTo, fullUrls: true });
  };
  routes.get('/fhir/AuditEvent', async (request, reply) =>
    reply.type(FHIR_JSON).send(await search(request, queryPairs(request))),
  );
  routes.post('/fhir/AuditEvent/_search', async (request, reply) => {
    const form = Array.isArray(request.body) ? (request.body as [string, string][]) : [];
    return reply.type(FHIR_JSON).send(await search(request, [...queryPairs(request), ...form]));
  });
  routes.get<{ Params: { id: string } }>('/fhir/AuditEvent/:id', async (request, reply) => {
    const id = resourceId(request.params.id);
    if (!/^\d{1,18}$/.test(id)) throw new ThroughlineError('NOT_FOUND', `AuditEvent/${id} not found`);
    const [row] = await readAuditLog(
      deps.db,
      { principal: request.principal, context: contextOf(request) },
      { id, count: 1 },
    );
    if (!row) throw new ThroughlineError('NOT_FOUND', `AuditEvent/${id} not found`);
    return reply.type(FHIR_JSON).send(toAuditEvent(row));
  });
}

/** `POST` joins an event to the chain; the log is append-only, so update and delete are refused. */
function registerAuditEventWrites(routes: FastifyInstance, deps: ServerDeps, base: string): void {
  routes.post('/fhir/AuditEvent', async (request, reply) => {
    const event = bodyResource(request, 'AuditEvent') as AuditEvent;
    const id = await recordExternalAuditEvent(
      deps.db,
      { principal: request.principal, context: contextOf(request) },
      event,
    );
    reply.header('Location', `${base}/${id}`);
    return reply
      .status(201)
      .type(FHIR_JSON)
      .send({ ...event, id });
  });
  for (const method of ['PUT', 'DELETE', 'PATCH'] as const)
    routes.route({
      method,
      url: '/fhir/AuditEvent/:id',
      handler: async () => {
        throw new ThroughlineError('FORBIDDEN', 'The audit log is append-only');
      },
    });
}

function contextOf(request: FastifyRequest) {
  return { requestId: request.id, remoteAddress: request.ip };
}

/** The caller's own filters, as they were understood (never anything of the checkpoint's). */
function linkTo(base: string, query: AuditQuery): string {
  const params = new URLSearchParams();
  if (query.patient) params.set('patient', query.patient);
  if (query.entity) params.set('entity', `${query.entity.resourceType}/${query.entity.id}`);
  if (query.user) params.set('agent', query.user);
  if (query.from) params.append('date', `ge${query.from}`);
  if (query.to) params.append('date', `lt${query.to}`);
  if (query.outcomes)
    params.set('outcome', query.outcomes.map((o) => ({ success: '0', denied: '4' })[o] ?? '8').join(','));
  if (query.actions) params.set('subtype', query.actions.join(','));
  if (query.ascending) params.set('_sort', 'date');
  if (query.before) params.set('_before', query.before);
  params.set('_count', String(query.count));
  return `${base}?${params.toString()}`;
}
