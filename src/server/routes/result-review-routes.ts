import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, scopeRepository, servicePrincipal } from '../../access/index.ts';
import { releaseResult } from '../release-result.ts';
import { resultHoldSetting } from '../result-hold-setting.ts';
import { resultsToReview } from '../results-to-review.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

const contextOf = (request: FastifyRequest) => ({ requestId: request.id, remoteAddress: request.ip });

/**
 * Results the clinic holds for review (issue 20, `RESULT_HOLD_*`): `GET /api/results/held`
 * lists them, `POST /api/results/{Observation|DiagnosticReport}/{id}/release` lets the patient
 * see one now. Both need the `results-release` operation (nurses, physicians).
 */
export function registerResultReviewRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get('/api/results/held', async (request) => ({
      results: await resultsToReview(
        { own: request.fhir, service: resultsService(deps, request) },
        {
          principal: request.principal,
          setting: resultHoldSetting(deps),
        },
      ),
    }));
    routes.post<{ Params: { type: string; id: string } }>(
      '/api/results/:type/:id/release',
      async (request) => {
        const released = await releaseResult(
          { own: request.fhir, service: resultsService(deps, request), clock: deps.clock },
          { principal: request.principal, type: request.params.type, id: resourceId(request.params.id) },
        );
        // Who released which result, under the clinician herself (the Provenance is the service's write).
        await recordAudit(
          deps.db,
          { principal: request.principal, context: contextOf(request) },
          {
            action: 'result-release',
            resourceType: request.params.type,
            resourceId: request.params.id,
            patients: released.patient ? [released.patient] : [],
            outcome: 'success',
            ...(released.already ? { detail: 'released before' } : {}),
          },
        );
        return released;
      },
    );
  });
}

/** The results service: records a release the clinician's own role may not write (a Provenance). */
function resultsService(deps: ServerDeps, request: FastifyRequest) {
  const principal = servicePrincipal({
    id: 'results-service',
    display: `Results for ${request.principal.display}`,
  });
  return scopeRepository(deps.repository, { principal, context: contextOf(request), auditDb: deps.db });
}
