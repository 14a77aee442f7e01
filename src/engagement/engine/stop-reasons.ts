import type { Appointment, CommunicationRequest, Patient } from '@medplum/fhirtypes';

/** The patient a request is for: its recipient Patient, else its subject. */
export function patientIdOf(request: CommunicationRequest): string | undefined {
  const reference = [...(request.recipient ?? []), request.subject]
    .map((r) => r?.reference)
    .find((r) => r?.startsWith('Patient/'));
  return reference?.slice('Patient/'.length);
}

/** Deceased patients are never contacted. */
export function deceasedReason(patient: Patient): string | undefined {
  return patient.deceasedBoolean || patient.deceasedDateTime ? 'the patient is deceased' : undefined;
}

const OVER = ['cancelled', 'noshow', 'entered-in-error', 'fulfilled', 'checked-in', 'arrived'];

/**
 * A reminder about an appointment that is gone, cancelled, over or already started goes
 * nowhere: none after the start or a cancellation.
 */
export function appointmentReason(
  reference: string,
  appointment: Appointment | undefined,
  now: Date,
): string | undefined {
  if (!appointment) return `${reference} no longer exists`;
  if (OVER.includes(appointment.status)) return `${reference} is ${appointment.status}`;
  if (appointment.start && Date.parse(appointment.start) <= now.getTime()) return `${reference} has started`;
  return undefined;
}
