import type { FastifyInstance } from 'fastify';
import { grantBreakGlass, listBreakGlass, mayReadAuditLog, recordAudit } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

/**
 * Break-glass over HTTP: `POST /api/access/break-glass` {patient, reason, minutes} opens one
 * patient's record for a limited time; `GET /api/access/break-glass` is the privacy officer's
 * list of every grant (reading it is audited like the audit log).
 */
export function registerAccessRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.post<{ Body: { patient?: string; reason?: string; minutes?: number } | undefined }>(
      '/api/access/break-glass',
      async (request, reply) => {
        const body = request.body ?? {};
        if (!body.patient)
          throw new ThroughlineError('INVALID_REQUEST', 'patient is required', { expression: 'patient' });
        // The patient must exist (checked without the caller's limits: the grant itself is audited).
        await deps.repository.read('Patient', resourceId(body.patient.replace(/^Patient\//, '')));
        const grant = await grantBreakGlass(deps.db, request.principal, contextOf(request), {
          patient: body.patient.replace(/^Patient\//, ''),
          reason: body.reason ?? '',
          minutes: body.minutes,
        });
        return reply.code(201).send(grant);
      },
    );
    routes.get('/api/access/break-glass', async (request) => {
      const entry = { action: 'break-glass-review', patients: [] as string[] };
      if (!mayReadAuditLog(request.principal)) {
        await recordAudit(deps.db, request.principal, contextOf(request), { ...entry, outcome: 'denied' });
        throw new ThroughlineError('FORBIDDEN', 'The break-glass list is for the privacy officer');
      }
      const grants = await listBreakGlass(deps.db);
      await recordAudit(deps.db, request.principal, contextOf(request), {
        ...entry,
        patients: grants.map((grant) => grant.patient),
        outcome: 'success',
      });
      return { grants };
    });
  });
}

const contextOf = (request: { id: string; ip: string }) => ({
  requestId: request.id,
  remoteAddress: request.ip,
});
