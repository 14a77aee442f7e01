import type { Appointment, ServiceRequest } from '@medplum/fhirtypes';
import { clinicSlot, emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import type { Visit } from './visits.ts';
import type { ConditionDefinition } from './vocabulary/clinical-codes.ts';
import { concept, systems } from './vocabulary/terminology.ts';

/** Why the GP refers, and from which visit. */
export interface Referral {
  visit: Visit;
  condition: ConditionDefinition;
  /** The GP's note to the specialist. */
  note: string;
}

/** The GP refers to the specialty the condition belongs to (ServiceRequest, intent order). */
export function referToSpecialist(
  ctx: ClinicContext,
  journey: Journey,
  { visit, condition, note }: Referral,
): Stored<ServiceRequest> {
  const [code, display] = condition.specialty;
  return emit<ServiceRequest>(ctx, {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    priority: 'routine',
    category: [concept(systems.snomed, '3457005', 'Patient referral')],
    code: {
      coding: [{ system: systems.snomed, code: '3457005', display: 'Patient referral' }],
      text: `Referral to ${display.toLowerCase()}`,
    },
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    authoredOn: visit.start,
    requester: ref(journey.doctor),
    performerType: concept(systems.snomed, code, display),
    performer: [ref(ctx.directory.organizations.specialist)],
    reasonCode: [concept(systems.snomed, ...condition.snomed)],
    note: [{ text: note }],
  });
}

/** A referral's appointment at the specialist centre, and what became of it. */
export interface ReferralBooking {
  referral: Stored<ServiceRequest>;
  /** Days from today (negative: in the past). */
  days: number;
  status: Appointment['status'];
}

/** Books the referral at the specialist centre: the Appointment is basedOn the ServiceRequest. */
export function bookReferral(
  ctx: ClinicContext,
  journey: Journey,
  { referral, days, status }: ReferralBooking,
): Stored<Appointment> {
  const specialist =
    ctx.directory.specialists[referral.performerType?.coding?.[0]?.code ?? ''] ?? ctx.directory.gps[0]!;
  const start = clinicSlot(ctx, days);
  return emit<Appointment>(ctx, {
    resourceType: 'Appointment',
    status,
    basedOn: [ref(referral)],
    serviceType: referral.performerType ? [referral.performerType] : undefined,
    appointmentType: concept(systems.v20276, 'ROUTINE', 'Routine appointment'),
    description: referral.code?.text,
    start,
    end: plusMinutes(start, 30),
    minutesDuration: 30,
    created: plusMinutes(referral.authoredOn as string, 60 * 24 * ctx.random.int(2, 10)),
    participant: [
      { actor: ref(journey.gp), required: 'required', status: 'accepted' },
      { actor: ref(specialist), required: 'required', status: 'accepted' },
      { actor: ref(ctx.directory.locations.specialist), required: 'required', status: 'accepted' },
    ],
  });
}
