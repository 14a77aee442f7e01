import type { Appointment, Schedule } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { bookAppointment } from '../book/book-appointment.ts';
import { resourcesOf } from '../find/load-schedule.ts';
import { patientOf } from '../noshow/booking-from-fhir.ts';
import {
  BOOKED_AS_EXTENSION,
  offerOf,
  withoutOffer,
  type SendWaitlistMessage,
  type WaitlistOffer,
} from './waitlist-offer.ts';
import { bookedText, goneText } from './waitlist-texts.ts';

type Entry = Appointment & { id: string };
type WaitlistDeps = SchedulingDeps & { send: SendWaitlistMessage };

/**
 * A waitlisted patient accepted an offer (their participant status became `accepted`, e.g. by
 * a YES reply through engagement): the offered time is booked for them — atomically, so of
 * several who accept only the first gets it — and the others are told it has gone. An expired
 * offer, or one whose time went meanwhile, is withdrawn and the patient told.
 */
export async function acceptOffer(deps: WaitlistDeps, entry: Entry): Promise<'booked' | 'gone' | undefined> {
  const offer = offerOf(entry);
  const patient = patientOf(entry);
  const accepted = entry.participant.some((p) => p.actor?.reference === patient && p.status === 'accepted');
  if (entry.status !== 'waitlist' || !offer || !patient || !accepted) return undefined;
  const expired = Date.parse(offer.expires) <= deps.clock.now().getTime();
  const booked = expired ? undefined : await tryBooking(deps, { entry, offer, patient });
  if (!booked) {
    await deps.repository.update(withoutOffer(entry));
    await tell(deps, { entry, offer, text: goneText(offer, deps.timeZone), kind: 'gone' });
    return 'gone';
  }
  const filled = withoutOffer(entry);
  await deps.repository.update({
    ...filled,
    status: 'cancelled',
    cancelationReason: { text: 'Booked from the waiting list' },
    extension: [
      ...(filled.extension ?? []),
      { url: BOOKED_AS_EXTENSION, valueReference: { reference: `Appointment/${booked.id}` } },
    ],
  });
  // About the new booking: the entry is cancelled now, and engagement sends nothing about a cancelled one.
  await tell(deps, {
    entry,
    offer,
    text: bookedText(offer, deps.timeZone),
    kind: 'booked',
    about: `Appointment/${booked.id}`,
  });
  await withdrawOthers(deps, { winner: entry, offer });
  return 'booked';
}

async function tryBooking(
  deps: WaitlistDeps,
  request: { entry: Entry; offer: WaitlistOffer; patient: string },
): Promise<Appointment | undefined> {
  const { entry, offer, patient } = request;
  const schedule = await deps.repository.read<Schedule>('Schedule', offer.schedule.slice('Schedule/'.length));
  const proposal: Appointment = {
    resourceType: 'Appointment',
    status: 'proposed',
    serviceType: schedule.serviceType ?? entry.serviceType,
    start: offer.start,
    end: offer.end,
    contained: [
      {
        resourceType: 'Slot',
        id: 'slot',
        schedule: { reference: offer.schedule },
        status: 'free',
        start: offer.start,
        end: offer.end,
      },
    ],
    slot: [{ reference: '#slot' }],
    participant: [
      { actor: { reference: patient }, status: 'accepted' },
      ...(schedule.actor ?? []).map((actor) => ({ actor, status: 'accepted' as const })),
    ],
  };
  try {
    return await bookAppointment(deps, { appointment: proposal });
  } catch (error) {
    if (isThroughlineError(error) && error.code === 'CONFLICT') return undefined;
    throw error;
  }
}

/** Everyone else offered this time: the offer is withdrawn and they are told it has gone. */
async function withdrawOthers(
  deps: WaitlistDeps,
  request: { winner: Entry; offer: WaitlistOffer },
): Promise<void> {
  const entries = resourcesOf<Entry>(
    await deps.repository.search({
      resourceType: 'Appointment',
      params: [
        ['status', 'waitlist'],
        ['_count', '1000'],
      ],
    }),
  );
  for (const entry of entries) {
    if (entry.id === request.winner.id || offerOf(entry)?.freed !== request.offer.freed) continue;
    await deps.repository.update(withoutOffer(entry));
    await tell(deps, {
      entry,
      offer: request.offer,
      text: goneText(request.offer, deps.timeZone),
      kind: 'gone',
    });
  }
}

async function tell(
  deps: WaitlistDeps,
  message: { entry: Entry; offer: WaitlistOffer; text: string; kind: string; about?: string },
): Promise<void> {
  const patient = patientOf(message.entry);
  if (!patient) return;
  await deps.send({
    patient,
    about: message.about ?? `Appointment/${message.entry.id}`,
    text: message.text,
    key: `waitlist-${message.kind}/${message.entry.id}/${message.offer.freed}`,
  });
}
