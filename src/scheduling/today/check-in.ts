import type { Appointment, Encounter } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { patientOf } from '../noshow/booking-from-fhir.ts';

const ARRIVABLE = ['booked', 'pending'];

/**
 * Check-in: the Appointment becomes `arrived` and an Encounter (status `arrived`, its period
 * starting now — the wait is measured from it) is opened for it, in one transaction.
 */
export async function checkIn(deps: SchedulingDeps, id: string): Promise<Encounter> {
  const appointment = await deps.repository.read<Appointment & { id: string }>('Appointment', id);
  const patient = patientOf(appointment);
  if (!ARRIVABLE.includes(appointment.status) || !patient)
    throw new ThroughlineError(
      'CONFLICT',
      `An Appointment that is ${appointment.status} cannot be checked in`,
      {
        expression: 'Appointment.status',
      },
    );
  const now = deps.clock.now().toISOString();
  const encounter: Encounter = {
    resourceType: 'Encounter',
    status: 'arrived',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: { reference: patient },
    appointment: [{ reference: `Appointment/${id}` }],
    period: { start: now },
    participant: appointment.participant
      .filter((p) => /^(Practitioner|PractitionerRole)\//.test(p.actor?.reference ?? ''))
      .map((p) => ({ individual: { reference: p.actor!.reference! } })),
  };
  const response = await deps.repository.processBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resource: { ...appointment, status: 'arrived' },
        request: { method: 'PUT', url: `Appointment/${id}`, ifMatch: `W/"${appointment.meta?.versionId}"` },
      },
      { resource: encounter, request: { method: 'POST', url: 'Encounter' } },
    ],
  });
  return response.entry?.[1]?.resource as Encounter;
}

/** Marks a booked Appointment as a no-show (the front desk's call, or the automatic one after its start). */
export async function markNoShow(deps: SchedulingDeps, id: string): Promise<Appointment> {
  const appointment = await deps.repository.read<Appointment & { id: string }>('Appointment', id);
  if (!ARRIVABLE.includes(appointment.status))
    throw new ThroughlineError(
      'CONFLICT',
      `An Appointment that is ${appointment.status} cannot be a no-show`,
      {
        expression: 'Appointment.status',
      },
    );
  return (
    await deps.repository.update(
      { ...appointment, status: 'noshow' },
      { ifMatch: appointment.meta?.versionId },
    )
  ).resource;
}
