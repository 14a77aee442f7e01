import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { planErasure, recordAudit, scopeRepository, type Principal } from '../../access/index.ts';
import { loadPersonRecord } from '../../journey/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { expungeHistory, type FhirRepository } from '../../store/index.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

const PRIVACY_ROLES = ['privacy-officer', 'admin'];

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
    routes.get<{ Params: { id: string }; Querystring: { format?: string } }>(
      '/api/privacy/patients/:id/export',
      async (request, reply) => {
        const id = resourceId(request.params.id);
        const own = request.principal.patient === id;
        if (!own) requirePrivacyRole(request.principal);
        const repository = own ? request.fhir : privacyService(deps, request);
        const person = await resolvePerson(repository, id);
        const resources = await loadPersonRecord(repository, compartmentIds(person));
        await audited(deps, request, 'privacy-export', compartmentIds(person));
        if (request.query.format === 'ndjson')
          return reply
            .type('application/fhir+ndjson')
            .send(resources.map((r) => JSON.stringify(r)).join('\n') + '\n');
        const bundle: Bundle = {
          resourceType: 'Bundle',
          type: 'collection',
          entry: resources.map((resource) => ({ resource })),
        };
        return reply.type('application/fhir+json').send(bundle);
      },
    );
    routes.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
      '/api/privacy/patients/:id/erase',
      async (request) => {
        requirePrivacyRole(request.principal);
        const reason = request.body?.reason?.trim() ?? '';
        if (reason.length < 10)
          throw new ThroughlineError(
            'INVALID_REQUEST',
            'State the legal basis or request reference (at least 10 characters)',
            { expression: 'reason' },
          );
        const repository = privacyService(deps, request);
        const person = await resolvePerson(repository, resourceId(request.params.id));
        const records = person.golden ? [person.golden, ...person.records] : person.records;
        const resources = await loadPersonRecord(repository, compartmentIds(person));
        const plan = planErasure({ records, resources, reason, now: new Date() });
        await repository.processBundle(erasureTransaction(plan.scrubbed, plan.deletions, plan.flags));
        const forgotten = await expungeHistory(deps.db, [...plan.scrubbed, ...plan.deletions].map(refOf));
        await audited(deps, request, 'privacy-erasure', compartmentIds(person), reason);
        return {
          records: plan.scrubbed.length,
          deleted: plan.deletions.length,
          versionsForgotten: forgotten,
        };
      },
    );
  });
}

function requirePrivacyRole(principal: Principal): void {
  if (!principal.roles.some((role) => PRIVACY_ROLES.includes(role)))
    throw new ThroughlineError('FORBIDDEN', 'Privacy requests are for the privacy officer');
}

function privacyService(deps: ServerDeps, request: FastifyRequest): FhirRepository {
  const principal: Principal = {
    kind: 'system',
    id: 'privacy-service',
    display: `Privacy service for ${request.principal.display}`,
    roles: ['integration'],
    scopes: ['system/*.cruds'],
  };
  return scopeRepository(deps.repository, {
    principal,
    context: { requestId: request.id, remoteAddress: request.ip },
    auditDb: deps.db,
  });
}

async function audited(
  deps: ServerDeps,
  request: FastifyRequest,
  action: string,
  patients: string[],
  detail?: string,
) {
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

function erasureTransaction(scrubbed: Resource[], deletions: Resource[], flags: Resource[]): Bundle {
  const entry: BundleEntry[] = [
    ...scrubbed.map((resource) => ({
      resource,
      request: {
        method: 'PUT' as const,
        url: `Patient/${resource.id}`,
        ifMatch: `W/"${resource.meta?.versionId}"`,
      },
    })),
    ...deletions.map((resource) => ({
      request: { method: 'DELETE' as const, url: `${resource.resourceType}/${resource.id}` },
    })),
    ...flags.map((resource) => ({ resource, request: { method: 'POST' as const, url: 'Flag' } })),
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

const refOf = (resource: Resource) => ({ resourceType: resource.resourceType, id: resource.id as string });
