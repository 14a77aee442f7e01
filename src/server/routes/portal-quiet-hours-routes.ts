import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  quietHoursFor,
  quietHoursOf,
  setQuietHours,
  type PortalQuietHoursDeps,
} from '../portal-quiet-hours.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { audited, patientOf, serviceStore } from './portal-caller.ts';

async function quietDeps(deps: ServerDeps, request: FastifyRequest): Promise<PortalQuietHoursDeps> {
  const patient = patientOf(request);
  return {
    own: request.fhir,
    service: serviceStore(deps, request),
    db: deps.db,
    clock: deps.clock,
    patient,
    recordIds: compartmentIds(await resolvePerson(request.fhir, patient)),
    clinic: deps.config.quietHours,
  };
}

/**
 * Her quiet hours (`src/server/portal-quiet-hours.ts`): read, set (`PUT {start, end}`), or back
 * to the clinic's (`DELETE`). Hers alone: a proxy is refused (`PROXY_NEEDS`).
 */
export function registerPortalQuietHours(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/quiet-hours', async (request) => quietHoursFor(await quietDeps(deps, request)));
  routes.put('/api/portal/quiet-hours', async (request) => {
    const quietHours = quietHoursOf(request.body);
    const view = await setQuietHours(await quietDeps(deps, request), quietHours);
    await audited(deps, request, {
      action: 'portal-quiet-hours',
      resourceType: 'Patient',
      resourceId: patientOf(request),
      detail: `quiet ${quietHours.start}-${quietHours.end}`,
    });
    return view;
  });
  routes.delete('/api/portal/quiet-hours', async (request) => {
    const view = await setQuietHours(await quietDeps(deps, request), undefined);
    await audited(deps, request, {
      action: 'portal-quiet-hours',
      resourceType: 'Patient',
      resourceId: patientOf(request),
      detail: 'the clinic’s quiet hours',
    });
    return view;
  });
}
