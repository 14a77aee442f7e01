import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { mayPerform } from '../operator-roles.ts';
import type { Principal } from '../principal.ts';
import { applyProtectedElements, checkAuthorElements, keepHiddenLabels } from '../policy/write-rules.ts';
import { isProxyGrant } from '../proxy/proxy-grant.ts';
import { isRelease } from '../hold/result-hold.ts';
import type { Checkpoint } from './checkpoint.ts';
import { Hidden } from './guard.ts';

/**
 * The checkpoint's hook before any write, given what is stored (undefined for a create): the
 * resource may only name the caller's own patients (one-patient callers: every compartment
 * parameter, so an Appointment cannot pull someone else in), elements the role may not write
 * keep their stored value, elements naming the author name the caller's own patient, and labels
 * the caller may not see are kept.
 */
export function prepareWrite(cp: Checkpoint, incoming: Resource, stored: Resource | undefined): Resource {
  if (!cp.policy.ownsAll(incoming)) throw new Hidden();
  checkGrantWrite(cp.principal, incoming);
  checkReleaseWrite(cp.principal, incoming);
  checkAuthorElements({
    resource: incoming,
    authorElements: cp.policy.authorElements(incoming.resourceType),
    ownPatients: cp.policy.ownPatients,
    ownGrant: cp.principal.proxyGrant,
  });
  const withProtected = applyProtectedElements({
    incoming,
    stored,
    protectedElements: cp.policy.protectedElements(incoming.resourceType),
  });
  return keepHiddenLabels({ incoming: withProtected, stored, hiddenLabels: cp.policy.hiddenLabels });
}

/**
 * A proxy grant (a RelatedPerson naming a portal account) widens what that account may see, so
 * only a role granted `proxy-grants` may write one — staff who register caregivers, and the
 * portal's service acting for the dependant herself. Whoever else may write RelatedPersons
 * (next of kin) may not make one a grant or change one: data a caller can write never widens
 * access (DESIGN). Ending a grant by delete only narrows, so needs no more than the delete.
 */
export function checkGrantWrite(principal: Principal, incoming: Resource): void {
  if (isProxyGrant(incoming) && !mayPerform(principal, 'proxy-grants'))
    throw new ThroughlineError(
      'FORBIDDEN',
      'Only staff allowed to grant proxy access (or the patient herself, in the portal) may write a RelatedPerson that names a portal account',
      { expression: 'RelatedPerson.identifier' },
    );
}

/**
 * A release Provenance lets the patient see a result the clinic holds for review, so only a
 * role granted `results-release` (clinicians) may write one: a patient, a caregiver or the
 * front desk cannot release a result by writing the record of a release.
 */
export function checkReleaseWrite(principal: Principal, incoming: Resource): void {
  if (isRelease(incoming) && !mayPerform(principal, 'results-release'))
    throw new ThroughlineError('FORBIDDEN', 'Only clinicians may release a held result to the patient', {
      expression: 'Provenance.activity',
    });
}
