import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { purposeOf, type Channel, type Purpose } from '../model/outreach-codes.ts';
import { deferralOf, type DeferralReason } from './deferral.ts';

/** A request that fell due and waits for its send window: when it goes next and why. */
export interface DeferredRequest {
  request: string;
  patient?: string;
  purpose?: Purpose;
  channel?: Channel;
  /** When it fell due (`occurrenceDateTime`, kept). */
  due?: string;
  /** When the engine will try again. */
  until: string;
  reason: DeferralReason;
  text?: string;
}

/** Requests read per call: the oldest due first, a page of the outbox. */
const MAX_READ = 500;

/**
 * The due, still-active requests the engine put back (quiet hours, the SMS cap), read through
 * the caller's store, the next to go first. A due request without a deferral is simply next in
 * the queue; one whose deferral time has passed is about to go again.
 */
export async function listDeferred(
  repository: FhirRepository,
  page: { now: Date; limit: number },
): Promise<DeferredRequest[]> {
  const bundle: Bundle = await repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['status', 'active'],
      ['occurrence', `le${page.now.toISOString()}`],
      ['_sort', 'occurrence'],
      ['_count', String(MAX_READ)],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as CommunicationRequest)
    .flatMap((request) => {
      const deferral = deferralOf(request);
      if (!deferral) return [];
      return [
        {
          request: `CommunicationRequest/${request.id}`,
          patient: request.subject?.reference,
          purpose: purposeOf(request.category),
          channel: deferral.channel,
          due: request.occurrenceDateTime,
          until: deferral.until,
          reason: deferral.reason,
          text: request.payload?.find((part) => part.contentString)?.contentString,
        },
      ];
    })
    .sort((a, b) => a.until.localeCompare(b.until))
    .slice(0, page.limit);
}
