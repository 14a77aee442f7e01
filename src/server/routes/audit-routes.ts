import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readAuditLog, type AuditQuery, type AuditRow, type RequestContext } from '../../access/index.ts';
import { parseDateRange } from '../../fhir/search-date-range.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { auditSearchset } from './audit-searchset.ts';
import { FHIR_JSON } from '../http-errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { resourceId } from './fhir-request.ts';
import { authenticate } from './auth-hook.ts';

type Query = Record<string, string | undefined>;

const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

/**
 * The audit report (issue 5): `GET /api/audit` as a FHIR Bundle of AuditEvents, filtered by
 * patient, user, action and time, newest first; and `GET /api/patients/:id/access-log`, who
 * looked at one patient's record. The access module decides who may read the log and audits
 * every read of it; these routes only parse and shape.
 */
export function registerAuditRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    // The one bearer check (sessions, revocation, audited rejections), as for every route.
    routes.addHook('preHandler', authenticate(deps));
    routes.get<{ Querystring: Query }>('/api/audit', async (request, reply) => {
      const caller = request.principal;
      const query = auditQueryOf(request.query);
      const rows = await readAuditLog(deps.db, { principal: caller, context: contextOf(request) }, query);
      return reply
        .type(FHIR_JSON)
        .send(auditSearchset(rows, { query, base: `${deps.config.baseUrl}/api/audit`, linkTo }));
    });
    routes.get<{ Params: { id: string }; Querystring: Query }>(
      '/api/patients/:id/access-log',
      async (request) => {
        const caller = request.principal;
        const query = { ...auditQueryOf(request.query), patient: resourceId(request.params.id) };
        const rows = await readAuditLog(deps.db, { principal: caller, context: contextOf(request) }, query);
        return { patient: query.patient, accesses: rows.map(accessOf) };
      },
    );
  });
}

function contextOf(request: FastifyRequest): RequestContext {
  return { requestId: request.id, remoteAddress: request.ip };
}

function auditQueryOf(query: Query): AuditQuery {
  return {
    patient: query.patient ? resourceId(query.patient.replace(/^Patient\//, '')) : undefined,
    user: query.user || undefined,
    actions: nonEmpty(query.action?.split(',').filter(Boolean)),
    from: timeOf('from', query.from, 'low'),
    to: timeOf('to', query.to, 'high'),
    before: query.before
      ? integerOf('before', query.before, { min: 1, max: Number.MAX_SAFE_INTEGER }).toString()
      : undefined,
    count: query._count ? integerOf('_count', query._count, { min: 1, max: MAX_COUNT }) : DEFAULT_COUNT,
  };
}

/** FHIR dates are ranges: `from=2025-03` starts with March, `to=2025-03` takes in all of March. */
function timeOf(name: string, value: string | undefined, end: 'low' | 'high'): string | undefined {
  if (!value) return undefined;
  const range = parseDateRange(value);
  if (!range) throw new ThroughlineError('INVALID_REQUEST', `${name} must be a FHIR date or instant`);
  return new Date(end === 'low' ? range.low : range.high + 1).toISOString();
}

function integerOf(name: string, value: string, range: { min: number; max: number }): number {
  const { min, max } = range;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new ThroughlineError('INVALID_REQUEST', `${name} must be an integer from ${min} to ${max}`);
  }
  return number;
}

function linkTo(base: string, query: AuditQuery): string {
  const params = new URLSearchParams();
  if (query.patient) params.set('patient', query.patient);
  if (query.user) params.set('user', query.user);
  if (query.actions?.length) params.set('action', query.actions.join(','));
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.before) params.set('before', query.before);
  params.set('_count', String(query.count));
  return `${base}?${params.toString()}`;
}

/** One line of "who looked at my record". */
function accessOf(row: AuditRow) {
  return {
    recorded: row.recordedUtc,
    who: row.principalDisplay ?? row.principal,
    kind: row.principalKind,
    action: row.action,
    resource: row.resourceType && row.resourceId ? `${row.resourceType}/${row.resourceId}` : undefined,
    outcome: row.outcome,
  };
}

const nonEmpty = (values: string[] | undefined) => (values && values.length > 0 ? values : undefined);
