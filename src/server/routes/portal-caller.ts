import type { FastifyRequest } from 'fastify';
import {
  recordAudit,
  scopeRepository,
  scopesAllow,
  servicePrincipal,
  type AuditEntry,
  type Interaction,
} from '../../access/index.ts';
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

/**
 * What a proxy needs on each portal route, as a table (the first match counts): `self` — only
 * the patient herself (her consent, who saw her record, who may act for her); a type and
 * interaction — what her grant must let her do over FHIR, since these routes do it for her
 * with the portal's service store; `open` — nothing more. A portal route not listed is
 * refused to a proxy: a new route opens to caregivers only when it is added here.
 */
const PROXY_NEEDS: { route: RegExp; method?: string; needs: 'self' | 'open' | [string, Interaction] }[] = [
  { route: /^\/api\/portal\/me$/, needs: 'open' },
  { route: /^\/api\/portal\/(consents|quiet-hours|access-log|proxies)/, needs: 'self' },
  { route: /^\/api\/portal\/waitlist$/, method: 'GET', needs: ['Appointment', 'r'] },
  { route: /^\/api\/portal\/(free-times|appointments|waitlist)/, needs: ['Appointment', 'u'] },
  // Asking for a correction needs the grant's `record` scope (it reads her whole record).
  { route: /^\/api\/portal\/corrections/, needs: ['Task', 'r'] },
  // Downloading her record likewise needs the `record` scope: it is everything that scope reads.
  { route: /^\/api\/portal\/export$/, needs: ['Observation', 's'] },
  { route: /^\/api\/portal\/forms/, method: 'GET', needs: ['QuestionnaireResponse', 'r'] },
  { route: /^\/api\/portal\/forms/, method: 'PUT', needs: ['QuestionnaireResponse', 'u'] },
];

/** Refuses a proxy what her grant does not let her do on this portal route (a patient: nothing). */
export function checkProxyNeeds(request: FastifyRequest): void {
  const { principal } = request;
  if (!principal.proxyGrant) return;
  const url = request.routeOptions.url ?? '';
  const rule = PROXY_NEEDS.find(
    (each) => each.route.test(url) && (!each.method || each.method === request.method),
  );
  if (rule?.needs === 'open') return;
  if (rule && rule.needs !== 'self' && scopesAllow(principal.scopes, rule.needs[0], rule.needs[1])) return;
  throw new ThroughlineError(
    'FORBIDDEN',
    rule?.needs === 'self'
      ? 'Only the patient herself may do this, not someone acting for her'
      : 'Your access for this person does not include this',
  );
}
