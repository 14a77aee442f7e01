import type { FastifyInstance, FastifyRequest } from 'fastify';
import { correctionsFor, requestCorrection, type PortalCorrectionDeps } from '../portal-corrections.ts';
import type { ServerDeps } from '../server-deps.ts';
import { audited, patientOf, serviceStore } from './portal-caller.ts';

function correctionDeps(deps: ServerDeps, request: FastifyRequest): PortalCorrectionDeps {
  const patient = patientOf(request);
  return {
    service: serviceStore(deps, request),
    own: request.fhir,
    patient,
    requester: request.principal.proxyGrant ?? `Patient/${patient}`,
    now: deps.clock.now(),
  };
}

/**
 * Her requests to correct her record (`src/server/portal-corrections.ts`): asking, and the list
 * of hers with their status. Each is audited under her.
 */
export function registerPortalCorrections(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/corrections', async (request) => {
    const corrections = await correctionsFor(correctionDeps(deps, request));
    await audited(deps, request, { action: 'portal-corrections', resourceType: 'Task' });
    return { corrections };
  });
  routes.post('/api/portal/corrections', async (request, reply) => {
    const correction = await requestCorrection(correctionDeps(deps, request), request.body);
    await audited(deps, request, {
      action: 'portal-correction-request',
      resourceType: 'Task',
      resourceId: correction.id,
    });
    return reply.code(201).send({ correction });
  });
}
