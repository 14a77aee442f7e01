import type { Bundle, CommunicationRequest, Patient } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { zoneOf } from '../consent/quiet-hours.ts';
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
  /** The patient's IANA zone, the one her quiet hours are kept in (so a list can say "her time"). */
  zone?: string;
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
  page: { now: Date; limit: number; clinicTimeZone: string },
): Promise<DeferredRequest[]> {
  const deferred = await readDeferred(repository, page);
  const zones = await patientZones(repository, {
    patients: deferred.flatMap((item) => (item.patient ? [item.patient] : [])),
    clinicTimeZone: page.clinicTimeZone,
  });
  return deferred.map((item) => {
    const zone = item.patient ? zones.get(item.patient) : undefined;
    return zone ? { ...item, zone } : item;
  });
}

async function readDeferred(
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

/**
 * Each listed patient's zone, from one search through the caller's store: a patient the caller
 * may not read simply has none (the list still shows when the message goes, in the viewer's zone).
 */
async function patientZones(
  repository: FhirRepository,
  options: { patients: string[]; clinicTimeZone: string },
): Promise<Map<string, string>> {
  const ids = [...new Set(options.patients)]
    .filter((reference) => reference.startsWith('Patient/'))
    .map((reference) => reference.slice('Patient/'.length));
  if (ids.length === 0) return new Map();
  const bundle: Bundle = await repository.search({
    resourceType: 'Patient',
    params: [
      ['_id', ids.join(',')],
      ['_count', String(ids.length)],
      ['_elements', 'address'],
    ],
  });
  return new Map(
    (bundle.entry ?? []).map((entry) => {
      const patient = entry.resource as Patient;
      return [`Patient/${patient.id}`, zoneOf(patient.address, options.clinicTimeZone)];
    }),
  );
}
