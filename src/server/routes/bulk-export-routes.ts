import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Group } from '@medplum/fhirtypes';
import { recordAudit } from '../../access/index.ts';
import {
  parseExportRequest,
  planExport,
  requireBulkExport,
  systemExportTypes,
  type ExportJobs,
  type ExportLevel,
} from '../../analytics/index.ts';
import { patientCompartmentTypes, patientIdOf } from '../../fhir/compartment.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { registerBulkStatusRoutes } from './bulk-status-routes.ts';
import { queryPairs, resourceId } from './fhir-request.ts';

/**
 * FHIR Bulk Data Access IG v2 kick-off (§5.1): system, Patient and Group level. The export runs
 * in the background through the caller's scoped store (every page access-checked and audited);
 * the answer is 202 with the status URL in Content-Location.
 */
export function registerBulkExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { exports } = deps;
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get('/fhir/$export', (request, reply) => kickOff({ deps, exports, request, reply }, 'system'));
    routes.get('/fhir/Patient/$export', (request, reply) =>
      kickOff({ deps, exports, request, reply }, 'patient'),
    );
    routes.get<{ Params: { id: string } }>('/fhir/Group/:id/$export', (request, reply) =>
      kickOff({ deps, exports, request, reply }, 'group', resourceId(request.params.id)),
    );
    registerBulkStatusRoutes(routes, deps, exports);
  });
}

interface KickOff {
  deps: ServerDeps;
  exports: ExportJobs;
  request: FastifyRequest;
  reply: FastifyReply;
}

async function kickOff(call: KickOff, level: ExportLevel, groupId?: string) {
  const { deps, request, reply } = call;
  requireBulkExport(request.principal, undefined);
  const pairs = queryPairs(request);
  const exportRequest = parseExportRequest({
    level,
    groupId,
    pairs,
    requestUrl: `${deps.config.baseUrl}${request.url}`,
  });
  requireBulkExport(request.principal, exportRequest.types);
  if (!/respond-async/.test(String(request.headers.prefer ?? '')))
    throw new ThroughlineError('INVALID_REQUEST', 'A bulk export needs the header Prefer: respond-async', {
      expression: 'Prefer',
    });
  const members = groupId ? await groupMembers(request, groupId) : undefined;
  const levelTypes = level === 'system' ? systemExportTypes(request.principal) : patientCompartmentTypes();
  const plans = planExport(exportRequest, { levelTypes, members });
  const id = await call.exports.start({
    caller: { principal: request.principal, requestId: request.id },
    request: exportRequest,
    plans,
    ...(members ? { members } : {}),
    repository: request.fhir,
  });
  await recordAudit(
    deps.db,
    { principal: request.principal, context: { requestId: request.id, remoteAddress: request.ip } },
    {
      action: 'bulk-export',
      patients: members ?? [],
      outcome: 'success',
      detail: `export ${id} ${request.url}`,
    },
  );
  return reply.code(202).header('content-location', `${deps.config.baseUrl}/fhir/bulk-status/${id}`).send();
}

/** The Patients a Group lists (read through the checkpoint: a Group the caller cannot see is 404). */
async function groupMembers(request: FastifyRequest, id: string): Promise<string[]> {
  const group = await request.fhir.read<Group>('Group', id);
  const ids = (group.member ?? []).map((member) => patientIdOf(member.entity.reference));
  return [...new Set(ids.filter((each): each is string => each !== undefined))];
}
