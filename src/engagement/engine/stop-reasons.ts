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
/** What a survey about a visit may not follow: a visit that did not happen after all. */
const NOT_HAPPENED = ['cancelled', 'noshow', 'entered-in-error'];

/**
 * A reminder about an appointment that is gone, cancelled, over or already started goes
 * nowhere: none after the start or a cancellation. A survey (`after`) follows the visit, so only
 * a visit that is gone or did not happen after all stops it.
 */
export function appointmentReason(
  reference: string,
  appointment: Appointment | undefined,
  when: { now: Date; after?: boolean },
): string | undefined {
  if (!appointment) return `${reference} no longer exists`;
  if (when.after)
    return NOT_HAPPENED.includes(appointment.status) ? `${reference} is ${appointment.status}` : undefined;
  if (OVER.includes(appointment.status)) return `${reference} is ${appointment.status}`;
  if (appointment.start && Date.parse(appointment.start) <= when.now.getTime())
    return `${reference} has started`;
  return undefined;
}
