import type { Appointment } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { patientOf } from '../noshow/booking-from-fhir.ts';
import { offerOf, withoutOffer } from './waitlist-offer.ts';

type Entry = Appointment & { id: string };

function checkWaiting(entry: Entry): void {
  if (entry.status !== 'waitlist')
    throw new ThroughlineError('CONFLICT', 'This is no longer on the waiting list', {
      expression: 'Appointment.status',
    });
}

/**
 * The patient leaves the waiting list: the entry is cancelled (an offer on it goes with it, and
 * the time stays with the others it was offered to). Nothing is freed: an entry holds no time.
 */
export async function leaveWaitlist(deps: SchedulingDeps, entry: Entry): Promise<Appointment> {
  checkWaiting(entry);
  const left: Appointment = {
    ...withoutOffer(entry),
    status: 'cancelled',
    cancelationReason: { text: 'Left the waiting list' },
  };
  return (await deps.repository.update(left)).resource;
}

/**
 * The patient takes the time offered to her, as a YES reply to the offer's message does: her
 * participant status becomes `accepted`, and scheduling's reaction (`accept-offer.ts`) books it
 * — or, when someone else was first, tells her it has gone. An offer that lapsed is a 409 here.
 */
export async function takeWaitlistOffer(deps: SchedulingDeps, entry: Entry): Promise<Appointment> {
  checkWaiting(entry);
  const offer = offerOf(entry);
  if (!offer || Date.parse(offer.expires) <= deps.clock.now().getTime())
    throw new ThroughlineError('CONFLICT', 'There is no time on offer for this any more', {
      expression: 'Appointment.extension',
    });
  const patient = patientOf(entry);
  const participant = entry.participant.map((p) =>
    p.actor?.reference === patient ? { ...p, status: 'accepted' as const } : p,
  );
  return (await deps.repository.update({ ...entry, participant })).resource;
}
