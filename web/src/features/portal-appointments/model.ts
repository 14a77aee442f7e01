import type { CodeableConcept, Resource } from '../../shared/fhir/types.ts';

export interface Appointment extends Resource {
  status: string;
  start?: string;
  end?: string;
  description?: string;
  serviceType?: CodeableConcept[];
  appointmentType?: CodeableConcept;
  participant?: { actor?: { reference?: string; display?: string }; status?: string }[];
  contained?: { resourceType: string; schedule?: { reference?: string } }[];
  requestedPeriod?: { start?: string; end?: string }[];
}

/** The clinic's services a patient books herself (HL7 service-type codes the schedules use). */
export const SERVICES = [
  { value: '124', label: 'General practice' },
  { value: '57', label: 'Vaccination' },
  { value: '165', label: 'Endocrinology' },
];

const UPCOMING = new Set(['booked', 'pending', 'arrived', 'checked-in']);

/** A waiting-list entry (open, left or filled): a wish for a time, shown in the waiting list only. */
const isWaitlistEntry = (a: Appointment) => a.status === 'waitlist' || (!a.start && !!a.requestedPeriod);

/** Upcoming (soonest first) and past (latest first); cancelled ones stay in the past list. */
export function splitAppointments(appointments: Appointment[], now: number) {
  const time = (a: Appointment) => Date.parse(a.start ?? '') || 0;
  const upcoming = appointments.filter((a) => UPCOMING.has(a.status) && time(a) >= now);
  const past = appointments.filter(
    (a) => !upcoming.includes(a) && a.status !== 'proposed' && !isWaitlistEntry(a),
  );
  return {
    upcoming: upcoming.sort((a, b) => time(a) - time(b)),
    past: past.sort((a, b) => time(b) - time(a)),
  };
}

/** Practitioner, PractitionerRole and Location ids the appointments name, for one lookup. */
export function actorReferences(appointments: Appointment[], type: 'Practitioner' | 'Location'): string[] {
  const ids = appointments.flatMap((a) =>
    (a.participant ?? []).flatMap((p) => {
      const [kind, id] = (p.actor?.reference ?? '').split('/');
      return kind === type && id ? [id] : [];
    }),
  );
  return [...new Set(ids)];
}

export function actorOf(appointment: Appointment, type: string): string | undefined {
  return appointment.participant?.find((p) => p.actor?.reference?.startsWith(`${type}/`))?.actor?.reference;
}

export function scheduleOf(appointment: Appointment): string | undefined {
  return appointment.contained?.find((r) => r.resourceType === 'Slot')?.schedule?.reference?.split('/')[1];
}

export function serviceCodeOf(appointment: Appointment): string | undefined {
  return appointment.serviceType?.[0]?.coding?.[0]?.code;
}

/** Whether she still has to say she will come (her participant `needs-action`, as after a hold). */
export function awaitsHerAnswer(appointment: Appointment): boolean {
  const her = appointment.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'));
  return her?.status === 'needs-action' || her?.status === 'tentative';
}
