import type { Bundle, CommunicationRequest, Resource } from '@medplum/fhirtypes';
import {
  actorOf,
  releasedAmong,
  releaseOf,
  requireOperation,
  RESULT_TYPES,
  type Principal,
} from '../access/index.ts';
import { PURPOSE_SYSTEM } from '../engagement/index.ts';
import { patientCompartmentOf } from '../fhir/compartment.ts';
import type { Clock } from '../kernel/clock.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/** What a release did: the Provenance that records it, and the notices brought forward. */
export interface Released {
  result: string;
  patient: string | undefined;
  provenance: string | undefined;
  /** Whether it had been released before (nothing written then). */
  already: boolean;
  noticesDue: number;
}

/**
 * A clinician releases a held result to the patient (issue 20): her own store reads it (she
 * must be able to see it: 404 otherwise, audited), the portal's results service records the
 * release as a `Provenance` (activity release-to-patient, agent verifier = her), and any
 * results-ready notice waiting for the hold to end is brought forward to now. A result
 * released before is not released again: the first release stands, one notice goes.
 */
export async function releaseResult(
  stores: { own: FhirRepository; service: FhirRepository; clock: Clock },
  request: { principal: Principal; type: string; id: string },
): Promise<Released> {
  const { principal, type, id } = request;
  requireOperation(principal, 'results-release', 'Only clinicians may release results to the patient');
  if (!RESULT_TYPES.includes(type))
    throw new ThroughlineError('INVALID_REQUEST', `Only ${RESULT_TYPES.join(' and ')} results are released`, {
      expression: 'type',
    });
  const stored = await stores.own.read<Resource>(type, id);
  const result = `${type}/${id}`;
  const patient = patientCompartmentOf(stored);
  if ((await releasedAmong(stores.service, [result])).has(result))
    return { result, patient, provenance: undefined, already: true, noticesDue: 0 };
  const now = stores.clock.now();
  const { resource } = await stores.service.create(releaseOf({ result, who: actorOf(principal), at: now }));
  const noticesDue = patient ? await bringNoticesForward(stores.service, { patient, result, now }) : 0;
  return { result, patient, provenance: `Provenance/${resource.id}`, already: false, noticesDue };
}

/** Her active results-ready notices about this result, waiting for the hold: due now. */
async function bringNoticesForward(
  repository: FhirRepository,
  notice: { patient: string; result: string; now: Date },
): Promise<number> {
  const bundle: Bundle = await repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['subject', `Patient/${notice.patient}`],
      ['status', 'active'],
      ['category', `${PURPOSE_SYSTEM}|results-ready`],
      ['_count', '1000'],
    ],
  });
  const waiting = (bundle.entry ?? [])
    .map((entry) => entry.resource as CommunicationRequest)
    .filter((request) => request.about?.some((about) => about.reference === notice.result))
    .filter((request) => Date.parse(request.occurrenceDateTime ?? '') > notice.now.getTime());
  for (const request of waiting)
    await repository.update({ ...request, occurrenceDateTime: notice.now.toISOString() });
  return waiting.length;
}
