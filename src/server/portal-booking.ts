import type { Appointment, Bundle, Slot } from '@medplum/fhirtypes';
import {
  bookAppointment,
  cancelAppointment,
  confirmHold,
  findAppointments,
  rescheduleAppointment,
  type SchedulingDeps,
} from '../scheduling/index.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';

/**
 * Booking for a patient in the portal (issue 20). Her own token cannot read the clinic's
 * Schedules and Slots (they are nobody's compartment), so scheduling runs on the portal's
 * service store (`service`), and what the patient sends is never trusted as a resource: she
 * names a time (`schedule` + `start`) and the server books the proposal its own `$find` makes
 * for her; she cancels or moves only an Appointment her own store can read (`own`).
 */
export interface PortalBookingDeps {
  service: SchedulingDeps;
  /** The patient's own scoped store: what it cannot read is not hers. */
  own: FhirRepository;
  patient: string;
}

/** A time the patient chose from the free times: which Schedule, and when. */
export interface ChosenTime {
  schedule: string;
  start: string;
}

const DAY_MS = 24 * 60 * 60_000;

/** Free times for her, over the window asked (her own appointments are never overlapped). */
export function freeTimesFor(
  deps: PortalBookingDeps,
  window: { start?: string; end?: string; serviceType?: string },
) {
  return findAppointments(deps.service, { ...window, patient: `Patient/${deps.patient}`, count: 60 });
}

const scheduleOf = (appointment: Appointment) =>
  appointment.contained?.find((r): r is Slot => r.resourceType === 'Slot')?.schedule?.reference;

/** The server's own proposal for the chosen time, or 409 when it is no longer free. */
async function proposalFor(deps: PortalBookingDeps, chosen: ChosenTime): Promise<Appointment> {
  const at = Date.parse(chosen.start);
  if (Number.isNaN(at))
    throw new ThroughlineError('INVALID_REQUEST', 'start must be an instant', { expression: 'start' });
  const window = { start: new Date(at).toISOString(), end: new Date(at + DAY_MS).toISOString() };
  const found: Bundle = await findAppointments(deps.service, {
    ...window,
    patient: `Patient/${deps.patient}`,
    count: 500,
  });
  const proposal = (found.entry ?? [])
    .map((entry) => entry.resource as Appointment)
    .find(
      (each) => Date.parse(each.start ?? '') === at && scheduleOf(each) === `Schedule/${chosen.schedule}`,
    );
  if (!proposal)
    throw new ThroughlineError('CONFLICT', 'That time is no longer free: choose another', {
      expression: 'start',
    });
  return proposal;
}

export async function bookForPatient(deps: PortalBookingDeps, chosen: ChosenTime): Promise<Appointment> {
  return bookAppointment(deps.service, { appointment: await proposalFor(deps, chosen) });
}

/** Her own Appointment (404 for anyone else's, as for one that does not exist). */
async function ownAppointment(deps: PortalBookingDeps, id: string): Promise<Appointment & { id: string }> {
  const appointment = await deps.own.read<Appointment & { id: string }>('Appointment', id);
  if (!['booked', 'pending', 'proposed'].includes(appointment.status))
    throw new ThroughlineError(
      'CONFLICT',
      `This appointment is ${appointment.status} and cannot be changed`,
      {
        expression: 'Appointment.status',
      },
    );
  return appointment;
}

export async function cancelForPatient(deps: PortalBookingDeps, id: string): Promise<Appointment> {
  await ownAppointment(deps, id);
  return cancelAppointment(deps.service, { id, reason: 'cancelled by the patient in the portal' });
}

export async function rescheduleForPatient(
  deps: PortalBookingDeps,
  request: { id: string; to: ChosenTime },
): Promise<Appointment> {
  await ownAppointment(deps, request.id);
  return rescheduleAppointment(deps.service, {
    id: request.id,
    appointment: await proposalFor(deps, request.to),
  });
}

const isPatient = (p: Appointment['participant'][number]) => !!p.actor?.reference?.startsWith('Patient/');
const UNANSWERED = new Set(['needs-action', 'tentative']);

/**
 * She confirms she will come: her participant status becomes `accepted`, as her `C` reply to an
 * SMS reminder does (engagement's reply actions). Her own store proves the Appointment is hers;
 * the change is written by the portal's service store, because a patient may not write
 * Appointments herself (the role matrix: only these operations change them, so she cannot move
 * a time, a practitioner or a status). A `pending` one nobody else still has to answer is then
 * `booked`; one held by `$hold` (a tentative Slot) is booked through scheduling's own `$book`.
 */
export async function confirmForPatient(deps: PortalBookingDeps, id: string): Promise<Appointment> {
  const appointment = await ownAppointment(deps, id);
  if (appointment.status === 'pending' && appointment.slot?.length) return confirmHold(deps.service, id);
  const participant = appointment.participant.map((p) =>
    isPatient(p) ? { ...p, status: 'accepted' as const } : p,
  );
  const answered = !participant.some((p) => UNANSWERED.has(p.status));
  const status = appointment.status !== 'booked' && answered ? 'booked' : appointment.status;
  return (await deps.service.repository.update({ ...appointment, participant, status })).resource;
}
