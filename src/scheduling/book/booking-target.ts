import type { Appointment, Slot } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Interval } from '../model/intervals.ts';

/** What a proposal asks for: which schedule, when, for whom. */
export interface BookingTarget {
  scheduleId: string;
  time: Interval;
  patient: string;
}

const invalid = (message: string, expression: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression });

/** Reads a proposal (from `$find`) into a booking target, naming the offending element. */
export function bookingTarget(appointment: Appointment | undefined): BookingTarget {
  if (appointment?.resourceType !== 'Appointment')
    throw invalid(
      'Parameters.appointment must be an Appointment (a proposal from $find)',
      'Parameters.parameter',
    );
  const slotRef = appointment.slot?.[0]?.reference ?? '';
  const slot = appointment.contained?.find(
    (resource): resource is Slot => resource.resourceType === 'Slot' && `#${resource.id}` === slotRef,
  );
  const scheduleId = /^Schedule\/([A-Za-z0-9\-.]{1,64})$/.exec(slot?.schedule?.reference ?? '')?.[1];
  if (!scheduleId)
    throw invalid('The proposal names no Schedule (a contained Slot, as $find returns)', 'Appointment.slot');
  const start = Date.parse(appointment.start ?? '');
  const end = Date.parse(appointment.end ?? '');
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start)
    throw invalid(
      'Appointment.start and Appointment.end must be instants, end after start',
      'Appointment.start',
    );
  const patient = appointment.participant
    ?.map((participant) => participant.actor?.reference ?? '')
    .find((reference) => reference.startsWith('Patient/'));
  if (!patient) throw invalid('The proposal needs a Patient participant', 'Appointment.participant');
  return { scheduleId, time: { start, end }, patient };
}
