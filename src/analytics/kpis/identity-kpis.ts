import type { Provenance, Resource, Task } from '@medplum/fhirtypes';
import { daysBetween, patientOf, type Fact, type KpiCollector } from './kpi-model.ts';

/** Identity's review Tasks and merge Provenance (FHIR names as src/identity writes them). */
const IDENTITY_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/identity';
const LIFECYCLE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle';
const openStatuses = new Set([
  'draft',
  'requested',
  'received',
  'accepted',
  'ready',
  'in-progress',
  'on-hold',
]);

const isReview = (task: Task) =>
  task.code?.coding?.some(
    (coding) => coding.system === IDENTITY_SYSTEM && coding.code === 'possible-duplicate',
  ) ?? false;

/** Possible-duplicate reviews (opened, open backlog, its age) and merges / un-merges. */
export function identityKpis(): KpiCollector {
  const facts: Fact[] = [];
  const open: { patient?: string; authoredOn: string }[] = [];
  return {
    types: ['Task', 'Provenance'],
    kpis: [
      { id: 'duplicate-reviews-opened', title: 'Possible duplicates found', kind: 'count' },
      { id: 'duplicate-review-backlog', title: 'Possible duplicates waiting for review', kind: 'count' },
      {
        id: 'duplicate-review-age-days',
        title: 'Age of the review backlog in days (median)',
        kind: 'median',
      },
      { id: 'merges', title: 'Records merged', kind: 'count' },
      { id: 'unmerges', title: 'Merges undone', kind: 'count' },
    ],
    add(resource: Resource) {
      if (resource.resourceType === 'Provenance') return addProvenance(resource as Provenance, facts);
      const review = reviewOf(resource as Task);
      if (!review) return;
      facts.push(review.opened);
      if (review.open) open.push({ patient: review.opened.patient, authoredOn: review.opened.at });
    },
    facts(now: Date) {
      const today = now.toISOString();
      const backlog = open.flatMap(({ patient, authoredOn }): Fact[] => [
        { kpi: 'duplicate-review-backlog', at: today, patient, inNumerator: true },
        {
          kpi: 'duplicate-review-age-days',
          at: today,
          patient,
          inNumerator: true,
          days: daysBetween(authoredOn, today),
        },
      ]);
      return [...facts, ...backlog];
    },
  };
}

/** A possible-duplicate review: its opening, and whether it still waits. */
export function reviewOf(task: Task): { opened: Fact; open: boolean } | undefined {
  if (!isReview(task) || !task.authoredOn) return undefined;
  const patient = patientOf(task.focus?.reference);
  const opened = { kpi: 'duplicate-reviews-opened', at: task.authoredOn, patient, inNumerator: true };
  return { opened, open: openStatuses.has(task.status) };
}

function addProvenance(provenance: Provenance, facts: Fact[]): void {
  facts.push(...lifecycleFacts(provenance));
}

/** A merge or un-merge identity recorded. */
export function lifecycleFacts(provenance: Provenance): Fact[] {
  const activity = provenance.activity?.coding?.find((coding) => coding.system === LIFECYCLE_SYSTEM)?.code;
  if (activity !== 'merge' && activity !== 'unmerge') return [];
  const patient = patientOf(provenance.target[0]?.reference);
  const kpi = activity === 'merge' ? 'merges' : 'unmerges';
  return [{ kpi, at: provenance.recorded, patient, inNumerator: true }];
}
