import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  joinForPatient,
  leaveForPatient,
  takeOfferForPatient,
  waitlistFor,
  type PortalWaitlistDeps,
} from '../portal-waitlist.ts';
import type { ServerDeps } from '../server-deps.ts';
import { resourceId } from './fhir-request.ts';
import { audited, patientOf, serviceStore } from './portal-caller.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function waitlistDeps(deps: ServerDeps, request: FastifyRequest): PortalWaitlistDeps {
  return {
    service: {
      repository: serviceStore(deps, request),
      clock: deps.clock,
      timeZone: deps.config.clinicTimeZone,
    },
    own: request.fhir,
    patient: patientOf(request),
  };
}

/**
 * Her waiting list (`src/server/portal-waitlist.ts`): her entries and what she may wait for,
 * joining, leaving, and taking a time offered to her. Each change is audited under her.
 */
export function registerPortalWaitlist(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/waitlist', async (request) => waitlistFor(waitlistDeps(deps, request)));
  routes.post('/api/portal/waitlist', async (request, reply) => {
    const entry = await joinForPatient(waitlistDeps(deps, request), request.body);
    await audited(deps, request, {
      action: 'portal-waitlist-join',
      resourceType: 'Appointment',
      resourceId: entry.id,
    });
    return reply.code(201).send({ entry });
  });
  // Leaving and taking an offer answer the same way: her entry as it now stands, audited under her.
  for (const [verb, act] of [
    ['leave', leaveForPatient],
    ['take', takeOfferForPatient],
  ] as const)
    routes.post(`/api/portal/waitlist/:id/${verb}`, async (request: IdRequest) => {
      const id = resourceId(request.params.id);
      const entry = await act(waitlistDeps(deps, request), id);
      await audited(deps, request, {
        action: `portal-waitlist-${verb}`,
        resourceType: 'Appointment',
        resourceId: id,
      });
      return { entry };
    });
}
