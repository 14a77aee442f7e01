import { backgroundYield, batchSubscriber, type ChangeEvent, type EventHandler } from '../../store/index.ts';
import type { JourneyDeps, Person } from './journey-deps.ts';
import { recomputePerson } from './recompute-person.ts';
import { forEachConcurrently } from '../../kernel/concurrency.ts';

/**
 * Writes that never change a stage or a signal: the engine's own, staff work on Tasks, audit,
 * and automation's run ledger (a GuidanceResponse per rule run: with 50 rules on, each run made
 * its patient's whole journey be planned again, for nothing).
 */
const IGNORED = new Set(['EpisodeOfCare', 'Flag', 'Task', 'Provenance', 'AuditEvent', 'GuidanceResponse']);

/**
 * Stages and signals are recomputed as events arrive (DESIGN rule 3): each batch of committed
 * writes is folded into the set of people it touched, and each person is recomputed once.
 */
export function recomputeOnChange(deps: JourneyDeps): EventHandler {
  return batchSubscriber({
    subscriber: 'journey-recompute',
    // An import writes thousands of resources per person: one recomputation covers them all.
    batchSize: 2000,
    handleBatch: (events) => recomputeForEvents(deps, events),
  });
}

async function recomputeForEvents(deps: JourneyDeps, events: ChangeEvent[]): Promise<void> {
  const patientIds = new Set<string>();
  for (const event of events) {
    if (IGNORED.has(event.resourceType)) continue;
    const patientId = event.resourceType === 'Patient' ? event.id : event.compartment;
    if (patientId) patientIds.add(patientId);
  }
  const people = new Map<string, Person>();
  for (const patientId of patientIds) {
    const person = await deps.personOf(patientId);
    if (person) people.set(person.id, person);
  }
  // Different people share no resources: recomputed side by side, the engine keeps the
  // database busy instead of waiting on one person's round trips at a time.
  // Each person's planning is JavaScript between statements: a yield point (issue 17).
  await forEachConcurrently(people.values(), PEOPLE_AT_ONCE, async (person) => {
    await backgroundYield();
    await recomputePerson(deps, person);
  });
}

const PEOPLE_AT_ONCE = 4;
