import type { FastifyInstance } from 'fastify';
import {
  assertMayBreakGlass,
  grantBreakGlass,
  listBreakGlass,
  mayReadAuditLog,
  recordAudit,
} from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';
import { registerMeRoutes } from './me-routes.ts';

/**
 * Break-glass over HTTP: `POST /api/access/break-glass` {patient, reason, minutes} opens one
 * patient's record for a limited time; `GET /api/access/break-glass` is the privacy officer's
 * list of every grant (reading it is audited like the audit log). `GET /api/me` (me-routes.ts)
 * tells the web app what the caller's roles may do.
 */
export function registerAccessRoutes(app: FastifyInstance, deps: ServerDeps): void {
  registerMeRoutes(app, deps);
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.post<{ Body: unknown }>('/api/access/break-glass', async (request, reply) => {
      const body = breakGlassBody(request.body);
      // The role first: a caller who may not break the glass learns nothing about the patient.
      assertMayBreakGlass(request.principal);
      // The patient must exist (checked without the caller's limits: the grant itself is audited).
      await deps.repository.read('Patient', body.patient);
      const grant = await grantBreakGlass(
        deps.db,
        { principal: request.principal, context: contextOf(request) },
        body,
      );
      return reply.code(201).send(grant);
    });
    routes.get('/api/access/break-glass', async (request) => {
      const entry = { action: 'break-glass-review', patients: [] as string[] };
      if (!mayReadAuditLog(request.principal)) {
        await recordAudit(
          deps.db,
          { principal: request.principal, context: contextOf(request) },
          { ...entry, outcome: 'denied' },
        );
        throw new ThroughlineError('FORBIDDEN', 'The break-glass list is for the privacy officer');
      }
      const grants = await listBreakGlass(deps.db);
      await recordAudit(
        deps.db,
        { principal: request.principal, context: contextOf(request) },
        {
          ...entry,
          patients: grants.map((grant) => grant.patient),
          outcome: 'success',
        },
      );
      return { grants };
    });
  });
}

/** `{patient, reason, minutes}` with the right JSON types, or a 400 naming the field. */
function breakGlassBody(raw: unknown): { patient: string; reason: string; minutes?: number } {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const wrong = (field: string, what: string) =>
    new ThroughlineError('INVALID_REQUEST', `${field} must be ${what}`, { expression: field });
  if (typeof body.patient !== 'string' || body.patient === '')
    throw wrong('patient', 'a Patient id (string)');
  if (body.reason !== undefined && typeof body.reason !== 'string') throw wrong('reason', 'a string');
  if (body.minutes !== undefined && (typeof body.minutes !== 'number' || !Number.isFinite(body.minutes)))
    throw wrong('minutes', 'a number');
  return {
    patient: resourceId(body.patient.replace(/^Patient\//, '')),
    reason: (body.reason as string | undefined) ?? '',
    minutes: body.minutes as number | undefined,
  };
}

const contextOf = (request: { id: string; ip: string }) => ({
  requestId: request.id,
  remoteAddress: request.ip,
});
