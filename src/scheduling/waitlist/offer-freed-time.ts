import type { Appointment, Schedule, Slot } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { resourcesOf } from '../find/load-schedule.ts';
import { namesService } from '../model/service-types.ts';
import { patientOf } from '../noshow/booking-from-fhir.ts';
import { MINUTE } from '../model/intervals.ts';
import {
  OFFER_MINUTES,
  OFFERED_EXTENSION,
  offerExtension,
  offerOf,
  type SendWaitlistMessage,
  type WaitlistOffer,
} from './waitlist-offer.ts';
import { offerText } from './waitlist-texts.ts';

/** Patients offered one freed time at once: the first to accept gets it. */
const OFFERS_PER_TIME = 3;

/**
 * A booked time came free (a cancellation with its Slot): the waitlisted patients who fit —
 * same service, the time inside their acceptable window, the practitioner and place they named —
 * are offered it, in order of priority (1 first) and then of waiting time, on their own
 * channel through engagement. Offered once per freed time (the cancelled Appointment is marked).
 */
export async function offerFreedTime(
  deps: SchedulingDeps & { send: SendWaitlistMessage },
  appointment: Appointment & { id: string },
): Promise<number> {
  const slotRef = appointment.slot?.[0]?.reference ?? '';
  const future = Date.parse(appointment.start ?? '') > deps.clock.now().getTime();
  const offered = appointment.extension?.some((each) => each.url === OFFERED_EXTENSION);
  if (appointment.status !== 'cancelled' || !future || offered || !slotRef.startsWith('Slot/')) return 0;
  const slot = await deps.repository.read<Slot>('Slot', slotRef.slice(5));
  const schedule = await deps.repository.read<Schedule & { id: string }>(
    'Schedule',
    slot.schedule.reference!.slice(9),
  );
  const offer: WaitlistOffer = {
    schedule: `Schedule/${schedule.id}`,
    start: appointment.start!,
    end: appointment.end!,
    expires: new Date(deps.clock.now().getTime() + OFFER_MINUTES * MINUTE).toISOString(),
    freed: `Appointment/${appointment.id}`,
  };
  const chosen = (await waitingFor(deps, { schedule, offer })).filter(
    (entry) => patientOf(entry) !== patientOf(appointment),
  );
  for (const entry of chosen.slice(0, OFFERS_PER_TIME)) await makeOffer(deps, { entry, offer });
  const marked = [...(appointment.extension ?? []), { url: OFFERED_EXTENSION, valueBoolean: true }];
  await deps.repository.update({ ...appointment, extension: marked });
  return Math.min(chosen.length, OFFERS_PER_TIME);
}

/** Waitlist entries that fit the time, most urgent and longest waiting first. */
async function waitingFor(
  deps: SchedulingDeps,
  request: { schedule: Schedule; offer: WaitlistOffer },
): Promise<(Appointment & { id: string })[]> {
  const { schedule, offer } = request;
  const entries = resourcesOf<Appointment & { id: string }>(
    await deps.repository.search({
      resourceType: 'Appointment',
      params: [
        ['status', 'waitlist'],
        ['_count', '1000'],
      ],
    }),
  );
  const start = Date.parse(offer.start);
  const end = Date.parse(offer.end);
  const people = (schedule.actor ?? []).map((actor) => actor.reference ?? '');
  const fits = (entry: Appointment) => {
    const code = entry.serviceType?.[0]?.coding?.[0]?.code;
    if (code && !namesService(schedule.serviceType, code)) return false;
    const windows = entry.requestedPeriod ?? [];
    const inWindow =
      windows.length === 0 ||
      windows.some((w) => (!w.start || Date.parse(w.start) <= start) && (!w.end || end <= Date.parse(w.end)));
    const named = entry.participant
      .map((p) => p.actor?.reference ?? '')
      .filter((r) => /^(Practitioner|PractitionerRole|Location)\//.test(r));
    return inWindow && named.every((reference) => people.includes(reference)) && !offerOf(entry);
  };
  const rank = (entry: Appointment) => (entry.priority && entry.priority > 0 ? entry.priority : 5);
  return entries
    .filter(fits)
    .sort((a, b) => rank(a) - rank(b) || Date.parse(a.created ?? '') - Date.parse(b.created ?? ''));
}

async function makeOffer(
  deps: SchedulingDeps & { send: SendWaitlistMessage },
  request: { entry: Appointment & { id: string }; offer: WaitlistOffer },
): Promise<void> {
  const { entry, offer } = request;
  const patient = patientOf(entry);
  if (!patient) return;
  await deps.repository.update({ ...entry, extension: [...(entry.extension ?? []), offerExtension(offer)] });
  await deps.send({
    patient,
    about: `Appointment/${entry.id}`,
    text: offerText(offer, deps.timeZone),
    key: `waitlist-offer/${entry.id}/${offer.freed}`,
  });
}
