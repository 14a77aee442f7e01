import type { Appointment, BundleEntry, Slot } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { releaseEntries } from './release-entries.ts';
import { bookAppointment } from './book-appointment.ts';

/** The time a cancellation gave back (for the waitlist). */
export interface FreedTime {
  appointment: Appointment & { id: string };
  slots: (Slot & { id: string })[];
}

/** Something that offers freed time to whoever waits for it (the waitlist; composed in `server`). */
export interface FreedTimeListener {
  timeFreed(freed: FreedTime): Promise<void>;
}

const RELEASABLE = ['proposed', 'pending', 'booked', 'waitlist'];

/** The Appointment and its Slots, and the entries that cancel it and free its time. */
async function cancellation(
  deps: SchedulingDeps,
  request: { id: string; reason?: string },
): Promise<{ freed: FreedTime; entries: BundleEntry[] }> {
  const appointment = await deps.repository.read<Appointment & { id: string }>('Appointment', request.id);
  if (!RELEASABLE.includes(appointment.status))
    throw new ThroughlineError(
      'CONFLICT',
      `An Appointment that is ${appointment.status} cannot be cancelled`,
      {
        expression: 'Appointment.status',
      },
    );
  const slots: (Slot & { id: string })[] = [];
  for (const reference of appointment.slot ?? []) {
    const [type, id] = (reference.reference ?? '').split('/');
    if (type === 'Slot' && id) slots.push(await deps.repository.read<Slot & { id: string }>('Slot', id));
  }
  const entries = releaseEntries({
    slots,
    appointments: [appointment],
    status: 'cancelled',
    reason: request.reason ?? 'cancelled',
  });
  return { freed: { appointment, slots }, entries };
}

/** Cancels an Appointment and frees its time in one transaction; then tells the listener (the waitlist). */
export async function cancelAppointment(
  deps: SchedulingDeps & { freedTime?: FreedTimeListener },
  request: { id: string; reason?: string },
): Promise<Appointment> {
  const { freed, entries } = await cancellation(deps, request);
  const response = await deps.repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries,
  });
  await deps.freedTime?.timeFreed(freed);
  return response.entry?.at(-1)?.resource as Appointment;
}

/**
 * Reschedule = cancel + book in ONE transaction: the old time is freed and the new one claimed
 * together, or neither (a taken new time leaves the old booking as it was).
 */
export async function rescheduleAppointment(
  deps: SchedulingDeps & { freedTime?: FreedTimeListener },
  request: { id: string; appointment: Appointment | undefined },
): Promise<Appointment> {
  const { freed, entries } = await cancellation(deps, { id: request.id, reason: 'rescheduled' });
  const freeing = [freed.appointment, ...freed.slots].flatMap((each) =>
    each.start && each.end ? [{ start: Date.parse(each.start), end: Date.parse(each.end) }] : [],
  );
  const booked = await bookAppointment(deps, {
    appointment: request.appointment,
    alsoCommit: entries,
    freeing,
  });
  await deps.freedTime?.timeFreed(freed);
  return booked;
}
