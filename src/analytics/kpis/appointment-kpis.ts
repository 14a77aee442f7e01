import type { Appointment, Resource } from '@medplum/fhirtypes';
import { daysBetween, patientOf, type Fact, type KpiCollector } from './kpi-model.ts';

const attendedOrMissed = new Set(['fulfilled', 'arrived', 'checked-in', 'noshow']);
const notYetBooked = new Set(['proposed', 'pending', 'waitlist', 'entered-in-error']);

/** No-shows, cancellations and booking lead time, from `Appointment` (see README for definitions). */
export function appointmentKpis(): KpiCollector {
  const facts: Fact[] = [];
  return {
    types: ['Appointment'],
    kpis: [
      { id: 'no-show-rate', title: 'No-show rate', kind: 'rate' },
      { id: 'cancellation-rate', title: 'Cancellation rate', kind: 'rate' },
      { id: 'booking-lead-days', title: 'Days from booking to appointment (median)', kind: 'median' },
    ],
    add(resource: Resource) {
      const appointment = resource as Appointment;
      if (!appointment.start) return;
      const at = appointment.start;
      const patient = patientOf(
        appointment.participant?.find((each) => patientOf(each.actor?.reference))?.actor?.reference,
      );
      const status = appointment.status;
      if (attendedOrMissed.has(status))
        facts.push({ kpi: 'no-show-rate', at, patient, inNumerator: status === 'noshow' });
      if (!notYetBooked.has(status))
        facts.push({ kpi: 'cancellation-rate', at, patient, inNumerator: status === 'cancelled' });
      if (appointment.created && status !== 'cancelled' && !notYetBooked.has(status))
        facts.push({
          kpi: 'booking-lead-days',
          at,
          patient,
          inNumerator: true,
          days: Math.max(0, daysBetween(appointment.created, at)),
        });
    },
    facts: () => facts,
  };
}
