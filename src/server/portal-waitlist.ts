import type { Appointment, Bundle } from '@medplum/fhirtypes';
import {
  joinWaitlist,
  leaveWaitlist,
  offerOf,
  takeWaitlistOffer,
  serviceChoices,
  type SchedulingDeps,
  type ServiceChoice,
} from '../scheduling/index.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/**
 * The waiting list in the portal (issue 20). As with booking, the clinic's Schedules are read and
 * her entries written by the portal's service store (`service`: a patient may not write
 * Appointments); her own store (`own`) lists her entries and proves an entry is hers before
 * she leaves it or takes its offer. She names a service, perhaps a practitioner or a place,
 * and a window; the entry is built by scheduling, never taken from her as a resource.
 */
export interface PortalWaitlistDeps {
  service: SchedulingDeps;
  own: FhirRepository;
  patient: string;
}

/** One entry as the portal shows it. */
export interface WaitlistEntryView {
  id: string;
  serviceType?: string;
  practitioner?: string;
  location?: string;
  start?: string;
  end?: string;
  created?: string;
  /** A freed time offered to her, until it is taken, lapses or goes to someone else. */
  offer?: { start: string; end: string; expires: string };
}

type Entry = Appointment & { id: string };

const actorOf = (entry: Appointment, type: RegExp) =>
  entry.participant.map((p) => p.actor?.reference ?? '').find((reference) => type.test(reference));

export function entryView(entry: Entry, now: Date): WaitlistEntryView {
  const offer = offerOf(entry);
  const standing = offer && Date.parse(offer.expires) > now.getTime();
  return {
    id: entry.id,
    serviceType: entry.serviceType?.[0]?.coding?.[0]?.code,
    practitioner: actorOf(entry, /^(Practitioner|PractitionerRole)\//),
    location: actorOf(entry, /^Location\//),
    start: entry.requestedPeriod?.[0]?.start,
    end: entry.requestedPeriod?.[0]?.end,
    created: entry.created,
    ...(standing ? { offer: { start: offer.start, end: offer.end, expires: offer.expires } } : {}),
  };
}

/** Her open entries (her own store: nobody else's) and what she may wait for. */
export async function waitlistFor(
  deps: PortalWaitlistDeps,
): Promise<{ entries: WaitlistEntryView[]; services: ServiceChoice[] }> {
  const bundle: Bundle = await deps.own.search({
    resourceType: 'Appointment',
    params: [
      ['status', 'waitlist'],
      ['_count', '100'],
    ],
  });
  const now = deps.service.clock.now();
  const entries = (bundle.entry ?? []).map((each) => entryView(each.resource as Entry, now));
  return { entries, services: await serviceChoices(deps.service) };
}

/** `{serviceType, practitioner?, location?, start, end}` from the body (400 naming the field otherwise). */
export function wishOf(body: unknown, patient: string) {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string, required: boolean) => {
    const value = fields[name];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || !value || value.length > 200)
      throw new ThroughlineError('INVALID_REQUEST', `${name} must be given as text`, { expression: name });
    return value;
  };
  return {
    patient: `Patient/${patient}`,
    serviceType: text('serviceType', true)!,
    practitioner: text('practitioner', false),
    location: text('location', false),
    start: text('start', true)!,
    end: text('end', true)!,
  };
}

export async function joinForPatient(deps: PortalWaitlistDeps, body: unknown): Promise<WaitlistEntryView> {
  const entry = (await joinWaitlist(deps.service, wishOf(body, deps.patient))) as Entry;
  return entryView(entry, deps.service.clock.now());
}

/** Her own entry, read as the service reads it now (404 for anyone else's). */
async function ownEntry(deps: PortalWaitlistDeps, id: string): Promise<Entry> {
  await deps.own.read<Entry>('Appointment', id);
  return deps.service.repository.read<Entry>('Appointment', id);
}

export async function leaveForPatient(deps: PortalWaitlistDeps, id: string): Promise<WaitlistEntryView> {
  const left = (await leaveWaitlist(deps.service, await ownEntry(deps, id))) as Entry;
  return entryView(left, deps.service.clock.now());
}

export async function takeOfferForPatient(deps: PortalWaitlistDeps, id: string): Promise<WaitlistEntryView> {
  const taken = (await takeWaitlistOffer(deps.service, await ownEntry(deps, id))) as Entry;
  return entryView(taken, deps.service.clock.now());
}
