import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  recordAudit,
  requireOperation,
  scopeRepository,
  type Principal,
  servicePrincipal,
} from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { erasePerson } from '../erase-person.ts';
import { exportBundle, exportNdjson, exportPersonRecord } from '../export-person-record.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

/**
 * Privacy requests (issue 5): export of everything about a person (FHIR Bundle or ndjson), and
 * erasure of contact and engagement data with the clinical record retained and flagged.
 * Corrections are ordinary audited updates. The privacy officer's own role cannot read
 * clinical data, so requests run as the privacy service; each is audited under the caller.
 * A patient may export their own record with their own token.
 */
export function registerPrivacyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    registerExportRoute(routes, deps);
    registerErasureRoute(routes, deps);
  });
}

function registerExportRoute(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get<{ Params: { id: string }; Querystring: { format?: string } }>(
    '/api/privacy/patients/:id/export',
    async (request, reply) => {
      const id = resourceId(request.params.id);
      // A caregiver acting for her (a proxy grant) downloads through the portal, by her grant.
      const own = request.principal.patient === id && !request.principal.proxyGrant;
      if (!own) requirePrivacyRole(request.principal);
      const repository = own ? request.fhir : privacyService(deps, request);
      const { patients, resources } = await exportPersonRecord(repository, id);
      await audited(deps, request, { action: 'privacy-export', patients });
      if (request.query.format === 'ndjson')
        return reply.type('application/fhir+ndjson').send(exportNdjson(resources));
      return reply.type('application/fhir+json').send(exportBundle(resources, deps.clock.now()));
    },
  );
}

function registerErasureRoute(routes: FastifyInstance, deps: ServerDeps): void {
  routes.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/api/privacy/patients/:id/erase',
    async (request) => {
      requirePrivacyRole(request.principal);
      const reason = erasureReasonOf(request.body);
      const { patients, ...erased } = await erasePerson({
        repository: privacyService(deps, request),
        db: deps.db,
        patientId: resourceId(request.params.id),
        reason,
        now: deps.clock.now(),
      });
      await audited(deps, request, { action: 'privacy-erasure', patients, detail: reason });
      return erased;
    },
  );
}

/** An erasure states its legal basis or request reference. */
function erasureReasonOf(body: { reason?: string } | undefined): string {
  const reason = body?.reason?.trim() ?? '';
  if (reason.length < 10)
    throw new ThroughlineError(
      'INVALID_REQUEST',
      'State the legal basis or request reference (at least 10 characters)',
      { expression: 'reason' },
    );
  return reason;
}

function requirePrivacyRole(principal: Principal): void {
  requireOperation(principal, 'privacy-requests', 'Privacy requests are for the privacy officer');
}

function privacyService(deps: ServerDeps, request: FastifyRequest): FhirRepository {
  const principal = servicePrincipal({
    id: 'privacy-service',
    display: `Privacy service for ${request.principal.display}`,
  });
  return scopeRepository(deps.repository, {
    principal,
    context: { requestId: request.id, remoteAddress: request.ip },
    auditDb: deps.db,
  });
}

/** What one privacy request did, and to whom: audited under the caller, not the privacy service. */
interface PrivacyAudit {
  action: 'privacy-export' | 'privacy-erasure';
  /** The person's records (every compartment id). */
  patients: string[];
  /** The erasure's stated reason. */
  detail?: string;
}

async function audited(deps: ServerDeps, request: FastifyRequest, audit: PrivacyAudit) {
  const { action, patients, detail } = audit;
  await recordAudit(
    deps.db,
    { principal: request.principal, context: { requestId: request.id, remoteAddress: request.ip } },
    {
      action,
      resourceType: 'Patient',
      patients,
      outcome: 'success',
      detail,
    },
  );
}
