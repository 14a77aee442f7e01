import type { RelatedPerson } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { isStaffPrincipal } from '../operator-roles.ts';
import { USER_SYSTEM, type Principal } from '../principal.ts';
import { intersectScopes } from '../scopes.ts';
import { grantAccountOf, grantSmartScopes, isGrantLive, isProxyGrant } from './proxy-grant.ts';

/** The role matrix's role for a caregiver acting for someone: its ceiling, which grants narrow. */
export const PROXY_ROLE = 'proxy';

/**
 * Who may act for someone else: a person's own portal account (a patient context, no staff
 * role), not already acting for someone. Staff use their own roles; an app's token may, within
 * its own scopes (the proxy's scopes are the grant's and the token's together).
 */
export function mayActForOthers(principal: Principal): boolean {
  return (
    principal.kind === 'user' && !!principal.patient && !principal.proxyGrant && !isStaffPrincipal(principal)
  );
}

/**
 * The live grants held by one portal account — for one dependant, or all. Read with the
 * unscoped store: like a Consent, a grant is policy being evaluated, not a disclosure. Only
 * what the store holds as a RelatedPerson counts (never a contained one, never a request's
 * claim), and the checkpoint lets only roles with the `proxy-grants` operation write one.
 */
export async function liveGrantsHeldBy(
  repository: FhirRepository,
  request: { account: string; patient?: string; now: Date },
): Promise<RelatedPerson[]> {
  const { account, patient, now } = request;
  const params: [string, string][] = [
    ['identifier', `${USER_SYSTEM}|${account}`],
    ['_count', '100'],
  ];
  if (patient) params.push(['patient', `Patient/${patient}`]);
  const bundle = await repository.search({ resourceType: 'RelatedPerson', params });
  return (
    (bundle.entry ?? [])
      .map((entry) => entry.resource)
      .filter(isProxyGrant)
      .filter((grant) => grantAccountOf(grant) === account && isGrantLive(grant, now))
      .filter((grant) => /^Patient\/[^/]+$/.test(grant.patient?.reference ?? ''))
      .filter((grant) => !patient || grant.patient?.reference === `Patient/${patient}`)
      // The same first grant whoever asks: it is the one she writes as (`Communication.sender`).
      .sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1))
  );
}

/**
 * The caller as a proxy for `patient`: her own account (`id`, so audit names her), role
 * `proxy`, the dependant as her patient context, and the scopes her live grants give within
 * her token's. Without a live grant: FORBIDDEN, the same answer whether or not the patient
 * exists. Called on every request that asks for it, so revoking or expiring a grant stops it
 * at once.
 */
export async function actForPatient(
  repository: FhirRepository,
  request: { principal: Principal; patient: string; now: Date },
): Promise<Principal> {
  const { principal, patient, now } = request;
  if (!mayActForOthers(principal))
    throw new ThroughlineError('FORBIDDEN', 'Only a person’s own portal account may act for someone else');
  const grants = await liveGrantsHeldBy(repository, { account: principal.id, patient, now });
  const [first] = grants;
  if (!first) throw new ThroughlineError('FORBIDDEN', 'No live grant lets you act for this person');
  const granted = [...new Set(grants.flatMap(grantSmartScopes))];
  return {
    kind: 'user',
    id: principal.id,
    display: principal.display,
    roles: [PROXY_ROLE],
    scopes: intersectScopes(granted, principal.scopes),
    patient,
    proxyGrant: `RelatedPerson/${first.id ?? ''}`,
  };
}
