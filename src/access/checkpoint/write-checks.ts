import type { Resource } from '@medplum/fhirtypes';
import { applyProtectedElements, checkAuthorElements, keepHiddenLabels } from '../policy/write-rules.ts';
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
  checkAuthorElements({
    resource: incoming,
    authorElements: cp.policy.authorElements(incoming.resourceType),
    ownPatients: cp.policy.ownPatients,
  });
  const withProtected = applyProtectedElements({
    incoming,
    stored,
    protectedElements: cp.policy.protectedElements(incoming.resourceType),
  });
  return keepHiddenLabels({ incoming: withProtected, stored, hiddenLabels: cp.policy.hiddenLabels });
}
