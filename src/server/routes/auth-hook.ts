import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { FastifyRequest } from 'fastify';
import { breakGlassPatients, scopeRepository } from '../../access/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { bearerVerifierOf } from './bearer-verifier.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';
import { actingPrincipal } from './acting-for.ts';
import { resultHoldSetting } from '../result-hold-setting.ts';

/**
 * Every FHIR request but the open ones needs a bearer token; its principal — or, when she acts
 * for a dependant, her as that dependant's proxy — scopes the store.
 */
export function authenticate(deps: ServerDeps) {
  const verifier = bearerVerifierOf(deps);
  return async (request: FastifyRequest): Promise<void> => {
    const context = { requestId: request.id, remoteAddress: request.ip };
    const verified = await verifier.authenticate(request.headers.authorization, context);
    // A caregiver may act for a dependant (`X-Acting-For`): then she is her proxy for this call.
    const principal = await actingPrincipal(deps, request, verified.principal);
    request.principal = principal;
    request.signedIn = verified.principal;
    request.fhir = scopeRepository(
      deps.repository,
      { principal, context, auditDb: deps.db },
      {
        breakGlassPatients: await breakGlassPatients(deps.db, principal),
        linkedRecords: principal.patient ? await linkedRecordsOf(deps, principal.patient) : [],
        resultHold: resultHoldSetting(deps),
      },
    );
  };
}

/**
 * A patient's own data spans every record identity linked to them (the lab's record of them,
 * the golden record): read unscoped, since it only widens "own" to the same person.
 */
async function linkedRecordsOf(deps: ServerDeps, patientId: string): Promise<string[]> {
  const person = await resolvePerson(deps.repository, patientId).catch(absentUnlessUnavailable);
  return person ? compartmentIds(person).filter((id) => id !== patientId) : [];
}
