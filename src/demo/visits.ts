import type { Appointment, Encounter, Observation, Patient, Practitioner } from '@medplum/fhirtypes';
import { clinicSlot, emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import { recordClaim } from './billing.ts';
import type { Journey } from './journey-state.ts';
import { visitTypes } from './vocabulary/clinical-codes.ts';
import { coding, concept, systems } from './vocabulary/terminology.ts';

export interface Visit {
  encounter: Stored<Encounter>;
  appointment: Stored<Appointment>;
  start: string;
}

function participants(
  patient: Stored<Patient>,
  doctor: Stored<Practitioner>,
  patientStatus: 'accepted' | 'needs-action' | 'declined',
) {
  return [
    { actor: ref(patient), required: 'required' as const, status: patientStatus },
    { actor: ref(doctor), required: 'required' as const, status: 'accepted' as const },
  ];
}

/** What to book at the GP, and what became of it. */
export interface Booking {
  /** Days from today (negative: in the past). */
  days: number;
  /** What became of it (FHIR Appointment.status). */
  status: Appointment['status'];
  description?: string;
  /** The exact start (default: a clinic-hours slot on the day). */
  start?: string;
  /** When it was booked (default: 3 to 30 days before the start). */
  created?: string;
}

/**
 * A booked slot at the GP. `status` says what became of it (FHIR Appointment.status); a
 * `pending` or `proposed` one waits for the patient to confirm (participant `needs-action`).
 */
export function bookAppointment(ctx: ClinicContext, journey: Journey, booking: Booking): Stored<Appointment> {
  const { status } = booking;
  const visit = ctx.random.pick(visitTypes);
  const start = booking.start ?? clinicSlot(ctx, booking.days);
  const created = booking.created ?? plusMinutes(start, -60 * 24 * ctx.random.int(3, 30));
  return emit<Appointment>(ctx, {
    resourceType: 'Appointment',
    status,
    cancelationReason:
      status === 'cancelled' ? concept(systems.cancellationReason, 'pat', 'Patient') : undefined,
    appointmentType: concept(
      systems.v20276,
      visit.reason,
      visit.reason === 'CHECKUP'
        ? 'A routine check-up'
        : visit.reason === 'FOLLOWUP'
          ? 'A follow up visit from a previous appointment'
          : 'Routine appointment',
    ),
    description: booking.description ?? visit.display,
    start,
    end: plusMinutes(start, 20),
    minutesDuration: 20,
    created,
    participant: participants(
      journey.gp,
      journey.doctor,
      status === 'pending' || status === 'proposed' ? 'needs-action' : 'accepted',
    ),
  });
}

/** One vital sign taken at a visit. */
interface VitalSign {
  visit: Visit;
  /** LOINC code and display. */
  code: [string, string];
  value: Observation['valueQuantity'];
}

function vital(ctx: ClinicContext, journey: Journey, { visit, code, value }: VitalSign): Stored<Observation> {
  return emit<Observation>(ctx, {
    resourceType: 'Observation',
    status: 'final',
    category: [concept(systems.observationCategory, 'vital-signs', 'Vital Signs')],
    code: concept(systems.loinc, code[0], code[1]),
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    effectiveDateTime: visit.start,
    valueQuantity: value,
  });
}

function quantity(value: number, unit: string, code = unit) {
  return { value, unit, system: systems.ucum, code };
}

/** Blood pressure as one panel Observation with systolic and diastolic components. */
function recordBloodPressure(ctx: ClinicContext, journey: Journey, visit: Visit): void {
  const hypertensive = journey.conditions.some((c) => c.key === 'hypertension');
  const systolic = Math.round(ctx.random.around(hypertensive ? 146 : 122, 14));
  const diastolic = Math.round(ctx.random.around(hypertensive ? 92 : 78, 8));
  const component = (code: string, display: string, value: number) => ({
    code: concept(systems.loinc, code, display),
    valueQuantity: quantity(value, 'mm[Hg]'),
  });
  emit<Observation>(ctx, {
    resourceType: 'Observation',
    status: 'final',
    category: [concept(systems.observationCategory, 'vital-signs', 'Vital Signs')],
    code: concept(systems.loinc, '85354-9', 'Blood pressure panel with all children optional'),
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    effectiveDateTime: visit.start,
    interpretation:
      systolic >= 140 || diastolic >= 90 ? [concept(systems.interpretation, 'H', 'High')] : undefined,
    component: [
      component('8480-6', 'Systolic blood pressure', systolic),
      component('8462-4', 'Diastolic blood pressure', diastolic),
    ],
  });
}

/** Blood pressure, weight and heart rate, as a nurse takes them at check-in. */
function recordVitals(ctx: ClinicContext, journey: Journey, visit: Visit): void {
  recordBloodPressure(ctx, journey, visit);
  const weight = Math.round(ctx.random.around(journey.weightKg, 2) * 10) / 10;
  vital(ctx, journey, { visit, code: ['29463-7', 'Body weight'], value: quantity(weight, 'kg') });
  const heartRate = Math.round(ctx.random.around(74, 12));
  vital(ctx, journey, { visit, code: ['8867-4', 'Heart rate'], value: quantity(heartRate, '/min') });
}

/** A GP visit that took place: how many days from today, and why the patient came. */
export interface FulfilledVisit {
  days: number;
  reason?: string;
}

/** A fulfilled GP visit: the appointment, the encounter, vitals and the claim it produced. */
export function recordVisit(ctx: ClinicContext, journey: Journey, { days, reason }: FulfilledVisit): Visit {
  const appointment = bookAppointment(ctx, journey, { days, status: 'fulfilled', description: reason });
  const start = appointment.start as string;
  const encounter = emit<Encounter>(ctx, {
    resourceType: 'Encounter',
    status: 'finished',
    class: coding(systems.actCode, 'AMB', 'ambulatory'),
    type: [concept(systems.snomed, '185349003', 'Encounter for check up (procedure)')],
    subject: ref(journey.gp),
    participant: [{ individual: ref(journey.doctor) }],
    appointment: [ref(appointment)],
    period: { start, end: plusMinutes(start, 20) },
    reasonCode: reason ? [{ text: reason }] : undefined,
    location: [{ location: ref(ctx.directory.locations.gp) }],
    serviceProvider: ref(ctx.directory.organizations.gp),
  });
  const visit = { encounter, appointment, start };
  recordVitals(ctx, journey, visit);
  recordClaim(ctx, journey, visit);
  journey.visits.push(visit);
  return visit;
}
