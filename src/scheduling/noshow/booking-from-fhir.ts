import type { Appointment, Patient } from '@medplum/fhirtypes';
import type { BookingRecord } from './booking-record.ts';

const YEAR = 365.25 * 86_400_000;

/** Statuses whose outcome is known: the patient came, or did not. */
export const ATTENDED = ['fulfilled', 'arrived', 'checked-in'];

/** The patient participant of an Appointment (`Patient/{id}`). */
export function patientOf(appointment: Appointment): string | undefined {
  return appointment.participant
    ?.map((participant) => participant.actor?.reference ?? '')
    .find((reference) => reference.startsWith('Patient/'));
}

/**
 * An Appointment as the no-show model sees it: booked at `created` (else when first stored),
 * for its start, the patient's sex and age then, the postal code as the neighbourhood.
 */
export function bookingRecordOf(
  appointment: Appointment,
  patient: Patient | undefined,
): BookingRecord | undefined {
  const startsAt = Date.parse(appointment.start ?? '');
  const bookedAt = Date.parse(appointment.created ?? appointment.meta?.lastUpdated ?? '');
  const person = patientOf(appointment);
  if (Number.isNaN(startsAt) || Number.isNaN(bookedAt) || !person) return undefined;
  const born = Date.parse(patient?.birthDate ?? '');
  return {
    appointmentId: appointment.id ?? '',
    personId: person,
    sex: patient?.gender === 'male' ? 'M' : patient?.gender === 'female' ? 'F' : 'U',
    age: Number.isNaN(born) ? 40 : Math.max(0, Math.floor((startsAt - born) / YEAR)),
    bookedAt: Math.min(bookedAt, startsAt),
    startsAt,
    neighbourhood: patient?.address?.[0]?.postalCode,
    flags: {},
    noShow:
      appointment.status === 'noshow' ? true : ATTENDED.includes(appointment.status) ? false : undefined,
  };
}
