import type { Appointment, Resource } from '@medplum/fhirtypes';
import { daysBetween, patientOf, type Fact, type KpiCollector, type KpiDefinition } from './kpi-model.ts';

const attendedOrMissed = new Set(['fulfilled', 'arrived', 'checked-in', 'noshow']);
const notYetBooked = new Set(['proposed', 'pending', 'waitlist', 'entered-in-error']);
/** How src/scheduling marks a waitlist entry it filled (its README): repeated here, not imported. */
const BOOKED_AS_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/waitlist-booked-as';

export const patientOfAppointment = (appointment: Appointment) =>
  patientOf(appointment.participant?.find((each) => patientOf(each.actor?.reference))?.actor?.reference);

/** The first participant of a type (`Location`, `Practitioner`): the filters' location and practitioner. */
const actorOf = (appointment: Appointment, type: string) =>
  appointment.participant
    ?.map((each) => each.actor?.reference?.match(new RegExp(`^${type}/([^/]+)$`))?.[1])
    .find((id) => id !== undefined);

export const appointmentPlace = (appointment: Appointment) => ({
  ...(actorOf(appointment, 'Location') ? { location: actorOf(appointment, 'Location') } : {}),
  ...(actorOf(appointment, 'Practitioner') ? { practitioner: actorOf(appointment, 'Practitioner') } : {}),
});

const byWhere: KpiDefinition['dimensions'] = ['location', 'practitioner'];

/** The booking a filled waitlist entry became (`Appointment/{id}` → id), if it is one. */
export const bookedAs = (appointment: Appointment) =>
  appointment.extension
    ?.find((extension) => extension.url === BOOKED_AS_EXTENSION)
    ?.valueReference?.reference?.match(/^Appointment\/([^/]+)$/)?.[1];

/** No-shows, cancellations, booking lead time and waitlist fills, from `Appointment` (see README). */
export function appointmentKpis(): KpiCollector {
  const facts: Fact[] = [];
  // Waitlist fills are matched to the cancellation whose time they took once every one is read.
  const starts = new Map<string, string>();
  const fills: string[] = [];
  return {
    types: ['Appointment'],
    kpis: [
      { id: 'no-show-rate', title: 'No-show rate', kind: 'rate', dimensions: byWhere },
      { id: 'cancellation-rate', title: 'Cancellation rate', kind: 'rate', dimensions: byWhere },
      {
        id: 'booking-lead-days',
        title: 'Days from booking to appointment (median)',
        kind: 'median',
        dimensions: byWhere,
      },
      {
        id: 'waitlist-fill-rate',
        title: 'Cancelled times filled from the waitlist',
        kind: 'rate',
        dimensions: byWhere,
      },
    ],
    add(resource: Resource) {
      const appointment = resource as Appointment;
      const booking = bookedAs(appointment);
      if (booking) fills.push(booking);
      if (!appointment.start) return;
      starts.set(appointment.id!, appointment.start);
      facts.push(...appointmentFacts(appointment, appointment.start));
    },
    facts: () =>
      markFilled(
        facts,
        fills.map((booking) => starts.get(booking)),
      ),
  };
}

export function appointmentFacts(appointment: Appointment, at: string): Fact[] {
  const patient = patientOfAppointment(appointment);
  const place = appointmentPlace(appointment);
  const status = appointment.status;
  const facts: Fact[] = [];
  if (attendedOrMissed.has(status))
    facts.push({ kpi: 'no-show-rate', at, patient, ...place, inNumerator: status === 'noshow' });
  if (!notYetBooked.has(status))
    facts.push({ kpi: 'cancellation-rate', at, patient, ...place, inNumerator: status === 'cancelled' });
  // Each cancelled booking is a time that could be filled from the waitlist.
  if (status === 'cancelled')
    facts.push({ kpi: 'waitlist-fill-rate', at, patient, ...place, inNumerator: false });
  if (appointment.created && status !== 'cancelled' && !notYetBooked.has(status))
    facts.push({
      kpi: 'booking-lead-days',
      at,
      patient,
      ...place,
      inNumerator: true,
      days: Math.max(0, daysBetween(appointment.created, at)),
    });
  return facts;
}

/**
 * A cancelled booking is filled when a waitlist entry was booked into its freed time: the entry's
 * booking starts when it did. Each fill marks one cancellation at that start (a time freed
 * twice and filled once counts once).
 */
function markFilled(collected: Fact[], fillStarts: (string | undefined)[]): Fact[] {
  // Copies: asking for the facts twice marks nothing twice.
  const facts = collected.map((fact) => (fact.kpi === 'waitlist-fill-rate' ? { ...fact } : fact));
  const open = facts.filter((fact) => fact.kpi === 'waitlist-fill-rate');
  for (const start of fillStarts) {
    const at = start && Date.parse(start);
    const cancelled = open.find((fact) => !fact.inNumerator && Date.parse(fact.at) === at);
    if (cancelled) cancelled.inNumerator = true;
  }
  return facts;
}
