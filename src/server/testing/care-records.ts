/**
 * The plain care records the access suites seed for a patient (cross-patient probes, the
 * attack fixture, privacy requests): one builder each, so a suite says only what differs.
 */
type Subject = { reference: string };
type Fields = Record<string, unknown>;

/** A finished ambulatory Encounter of the patient. */
export function finishedEncounter(subject: Subject, more: Fields = {}) {
  return { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject, ...more };
}

/** A final Observation or DiagnosticReport of the patient. */
export function finalResult(
  resourceType: 'Observation' | 'DiagnosticReport',
  request: { subject: Subject; code: object },
  more: Fields = {},
) {
  return { resourceType, status: 'final', code: request.code, subject: request.subject, ...more };
}

/** A booked Appointment the patient accepted, from `start` to `end`. */
export function bookedAppointment(
  subject: Subject,
  period: { start: string; end: string },
  more: Fields = {},
) {
  return {
    resourceType: 'Appointment',
    status: 'booked',
    ...more,
    ...period,
    participant: [{ actor: subject, status: 'accepted' }],
  };
}
