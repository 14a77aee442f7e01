import type { Appointment, CarePlan, Resource } from '@medplum/fhirtypes';
import { appointmentPlace, patientOfAppointment } from './appointment-kpis.ts';
import type { Fact, KpiCollector, KpiDefinition } from './kpi-model.ts';

export const carePlanVisitKpi = 'care-plan-visits-kept';

export const carePlanVisitDefinitions: KpiDefinition[] = [
  {
    id: carePlanVisitKpi,
    title: 'Care-plan visits kept',
    kind: 'rate',
    dimensions: ['location', 'practitioner'],
  },
];

/** A plan in force or carried out; drafts, errors and unknowns schedule nothing. */
const PLANNING = new Set(['active', 'on-hold', 'completed', 'revoked']);
/** The visit happened. */
const KEPT = new Set(['fulfilled', 'arrived', 'checked-in']);
/** The visit's time came and it did not happen. */
const NOT_KEPT = new Set(['noshow', 'cancelled']);

/** The Appointments a CarePlan schedules (`activity.reference`), when it is a plan in force. */
export function plannedVisitsOf(plan: CarePlan): string[] {
  if (!PLANNING.has(plan.status)) return [];
  return (plan.activity ?? []).flatMap(
    (activity) => activity.reference?.reference?.match(/^Appointment\/([^/]+)$/)?.[1] ?? [],
  );
}

/**
 * A visit a care plan scheduled, once it has an outcome: dated by its `start`, in the numerator
 * when it happened (fulfilled, arrived, checked in), out when missed or cancelled; still booked
 * (or never booked) it is not counted yet. `plan` is the CarePlan that schedules it.
 */
export function carePlanVisitFacts(appointment: Appointment, plan: string | undefined): Fact[] {
  const status = appointment.status;
  if (!plan || !appointment.start || !(KEPT.has(status) || NOT_KEPT.has(status))) return [];
  const patient = patientOfAppointment(appointment);
  const place = appointmentPlace(appointment);
  return [{ kpi: carePlanVisitKpi, at: appointment.start, patient, ...place, inNumerator: KEPT.has(status) }];
}

/** Care-plan visits kept, from the CarePlans and the Appointments they schedule (see README). */
export function carePlanVisitKpis(): KpiCollector {
  const plannedBy = new Map<string, string>();
  const appointments: Appointment[] = [];
  return {
    types: ['CarePlan', 'Appointment'],
    kpis: carePlanVisitDefinitions,
    add(resource: Resource) {
      if (resource.resourceType === 'Appointment') appointments.push(resource);
      if (resource.resourceType !== 'CarePlan') return;
      for (const visit of plannedVisitsOf(resource))
        if (!plannedBy.has(visit) || resource.id! < plannedBy.get(visit)!) plannedBy.set(visit, resource.id!);
    },
    facts: () => appointments.flatMap((each) => carePlanVisitFacts(each, plannedBy.get(each.id!))),
  };
}
