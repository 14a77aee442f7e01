import type { Appointment, CarePlan, Resource } from '@medplum/fhirtypes';
import { emit, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import { createRandom, seedFrom } from './random.ts';
import { concept, systems } from './vocabulary/terminology.ts';

/**
 * A chronic-care plan for someone with a chronic condition: its reviews are the person's GP
 * appointments (kept, missed, cancelled and the next one booked), each an `activity.reference`
 * — what the "care-plan visits kept" KPI counts. Drawn from a generator of its own, so the rest
 * of the clinic stays as it was.
 */
export function recordCarePlan(ctx: ClinicContext, journey: Journey, emitted: Resource[]): void {
  if (journey.conditions.length === 0) return;
  const visits = emitted.filter(
    (resource): resource is Stored<Appointment> =>
      resource.resourceType === 'Appointment' && Boolean(resource.start) && resource.status !== 'proposed',
  );
  if (visits.length === 0) return;
  const own: ClinicContext = { ...ctx, random: createRandom(seedFrom(`care plan ${journey.gp.id}`)) };
  const first = visits.map((visit) => visit.start!).sort()[0]!;
  emit<CarePlan>(own, {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    category: [concept(systems.snomed, '736271009', 'Outpatient care plan')],
    title: `Chronic care: ${journey.conditions.map((condition) => condition.snomed[1]).join(', ')}`,
    subject: ref(journey.gp),
    period: { start: first.slice(0, 10) },
    author: ref(journey.doctor),
    activity: visits.map((visit) => ({ reference: ref(visit) })),
  });
}
