import type { FastifyRequest } from 'fastify';
import { recordAudit, scopeRepository, servicePrincipal, type AuditEntry } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { ServerDeps } from '../server-deps.ts';

// Who calls a portal route and how her calls are recorded: shared by the portal's route files.

/** The patient the caller is: staff, systems and apps without a patient context get 403. */
export function patientOf(request: FastifyRequest): string {
  const patient = request.principal.patient;
  if (!patient) throw new ThroughlineError('FORBIDDEN', 'The portal is for patient accounts');
  return patient;
}

export const contextOf = (request: FastifyRequest) => ({ requestId: request.id, remoteAddress: request.ip });

/** The portal's service store: what a patient's own store cannot do, done for her (audited). */
export function serviceStore(deps: ServerDeps, request: FastifyRequest) {
  const principal = servicePrincipal({
    id: 'portal-service',
    display: `Portal for ${request.principal.display}`,
  });
  return scopeRepository(deps.repository, { principal, context: contextOf(request), auditDb: deps.db });
}

export async function audited(
  deps: ServerDeps,
  request: FastifyRequest,
  entry: Omit<AuditEntry, 'outcome' | 'patients'>,
) {
  const caller = { principal: request.principal, context: contextOf(request) };
  await recordAudit(deps.db, caller, { ...entry, patients: [patientOf(request)], outcome: 'success' });
}
