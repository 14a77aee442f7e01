import type { MedicationDispense, MedicationRequest } from '@medplum/fhirtypes';
import { dateOf, emit, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import { createRandom, seedFrom } from './random.ts';
import { systems } from './vocabulary/terminology.ts';

const dayMs = 86_400_000;
/** Fills older than this are left out (a year and a half: the dashboard's first months see a partial year). */
const historyDays = 540;

/** How a patient takes a chronic drug: days late between running out and refilling, and how often. */
const habits = [
  { weight: 55, late: [0, 4] },
  { weight: 30, late: [3, 16] },
  { weight: 15, late: [12, 45] },
] as const;

/**
 * The pharmacy's fills of a chronic prescription (`MedicationDispense`, completed, 30 or 90 days'
 * supply) from its date to today, with realistic gaps: most patients refill within days of
 * running out, some lapse for weeks; a stopped prescription stops being filled. Drawn from a
 * generator of its own (seeded by the prescription), so the rest of the clinic stays as it was.
 */
export function recordDispenses(
  ctx: ClinicContext,
  request: Stored<MedicationRequest>,
  stopped: boolean,
): void {
  const random = createRandom(seedFrom(`dispenses ${request.id}`));
  const own: ClinicContext = { ...ctx, random };
  const habit = random.weighted(habits.map((each) => [each, each.weight] as const));
  const supply = random.chance(0.35) ? 90 : 30;
  const now = ctx.now.getTime();
  const oldest = now - historyDays * dayMs;
  const lastFill = stopped ? random.int(1, 8) : Infinity;
  let at = Date.parse(request.authoredOn ?? '') + random.int(0, 3) * dayMs;
  for (let fill = 0; fill < lastFill && at < now; fill += 1) {
    if (at >= oldest) emit<MedicationDispense>(own, dispense(request, { at, supply }));
    at += (supply + random.int(habit.late[0], habit.late[1])) * dayMs;
  }
}

function dispense(
  request: Stored<MedicationRequest>,
  fill: { at: number; supply: number },
): MedicationDispense {
  const handedOver = new Date(fill.at).toISOString().replace('.000Z', 'Z');
  return {
    resourceType: 'MedicationDispense',
    status: 'completed',
    medicationCodeableConcept: request.medicationCodeableConcept,
    subject: request.subject,
    authorizingPrescription: [ref(request)],
    quantity: { value: fill.supply, unit: 'tablet' },
    daysSupply: { value: fill.supply, unit: 'days', system: systems.ucum, code: 'd' },
    whenPrepared: dateOf(handedOver),
    whenHandedOver: handedOver,
  };
}
