import type { FastifyRequest } from 'fastify';
import { actForPatient, recordAudit, type Principal } from '../../access/index.ts';
import { isThroughlineError, ThroughlineError } from '../../kernel/errors.ts';
import { isValidFhirId } from '../../kernel/ids.ts';
import type { ServerDeps } from '../server-deps.ts';

/**
 * The header a caregiver's portal sends to act for a dependant: `X-Acting-For: Patient/{id}`
 * (or the bare id). It only chooses among grants the server holds — it names no one who
 * acted and widens nothing by itself (DESIGN: a request header adds nothing): the grant is
 * looked up on every request, so revoking or expiring it stops the next call.
 */
export const ACTING_FOR_HEADER = 'x-acting-for';

/** The caller as she acts in this request: herself, or a proxy for the patient the header names. */
export async function actingPrincipal(
  deps: ServerDeps,
  request: FastifyRequest,
  signedIn: Principal,
): Promise<Principal> {
  const named = request.headers[ACTING_FOR_HEADER];
  if (named === undefined) return signedIn;
  const patient = String(named).replace(/^Patient\//, '');
  if (!isValidFhirId(patient))
    throw new ThroughlineError('INVALID_REQUEST', `${ACTING_FOR_HEADER} must name a Patient id`, {
      expression: ACTING_FOR_HEADER,
    });
  // Herself: no proxy needed (the switcher's "you" may send her own id).
  if (patient === signedIn.patient && !signedIn.proxyGrant) return signedIn;
  try {
    return await actForPatient(deps.repository, { principal: signedIn, patient, now: deps.clock.now() });
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'FORBIDDEN') throw error;
    // A refused attempt names the patient in the detail only: it showed her nothing.
    await recordAudit(
      deps.db,
      { principal: signedIn, context: { requestId: request.id, remoteAddress: request.ip } },
      {
        action: 'proxy-refused',
        patients: [],
        outcome: 'denied',
        detail: `no live grant for Patient/${patient}`,
      },
    );
    throw error;
  }
}
