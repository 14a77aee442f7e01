import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { FastifyRequest } from 'fastify';
import { breakGlassPatients, scopeRepository } from '../../access/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { bearerVerifierOf } from './bearer-verifier.ts';
import { compartmentIds, resolvePerson } from '../resolve-person.ts';

/** Every FHIR request but the open ones needs a bearer token; its principal scopes the store. */
export function authenticate(deps: ServerDeps) {
  const verifier = bearerVerifierOf(deps);
  return async (request: FastifyRequest): Promise<void> => {
    const context = { requestId: request.id, remoteAddress: request.ip };
    const { principal } = await verifier.authenticate(request.headers.authorization, context);
    request.principal = principal;
    request.fhir = scopeRepository(
      deps.repository,
      { principal, context, auditDb: deps.db },
      {
        breakGlassPatients: await breakGlassPatients(deps.db, principal),
        linkedRecords: principal.patient ? await linkedRecordsOf(deps, principal.patient) : [],
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
