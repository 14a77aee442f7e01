import type { FastifyInstance, FastifyRequest } from 'fastify';
import { dependantsOf, proxiesOf, revokeProxy } from '../portal-proxies.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import type { ServerDeps } from '../server-deps.ts';
import { resourceId } from './fhir-request.ts';
import { audited, contextOf, patientOf, serviceStore } from './portal-caller.ts';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * Caregiver (proxy) access in the portal: who she is and whom she may act for
 * (`GET /api/portal/me`, for the person switcher), and, for the patient herself, who may act
 * for her and ending that (`/api/portal/proxies`). Grants are made by staff with the
 * `proxy-grants` operation (a RelatedPerson over FHIR); the patient ends them here.
 */
export function registerPortalProxies(routes: FastifyInstance, deps: ServerDeps): void {
  routes.get('/api/portal/me', async (request) => {
    const signedIn = request.signedIn;
    const caller = { principal: signedIn, context: contextOf(request) };
    const now = deps.clock.now();
    return {
      you: { patient: signedIn.patient, name: signedIn.display },
      ...(request.principal.proxyGrant ? { actingFor: request.principal.patient } : {}),
      people: await dependantsOf({ repository: deps.repository, db: deps.db, now }, caller),
    };
  });
  routes.get('/api/portal/proxies', async (request) => {
    const person = await resolvePerson(request.fhir, patientOf(request));
    return {
      proxies: await proxiesOf(request.fhir, { patients: compartmentIds(person), now: deps.clock.now() }),
    };
  });
  routes.post('/api/portal/proxies/:id/revoke', async (request: IdRequest) => {
    const grant = resourceId(request.params.id);
    const stores = { own: request.fhir, service: serviceStore(deps, request) };
    const ended = await revokeProxy(stores, { grant, now: deps.clock.now() });
    await audited(deps, request, {
      action: 'portal-proxy-revoke',
      resourceType: 'RelatedPerson',
      resourceId: grant,
    });
    return { grant: ended.id, active: ended.active, until: ended.period?.end };
  });
}
