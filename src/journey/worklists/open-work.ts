import type { Task } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { OPEN_TASK_STATUSES, WORKLIST_SYSTEM } from '../engine/journey-codes.ts';

/** One open worklist item about a patient, as a line on another screen (the today board). */
export interface OpenWork {
  task: string;
  worklist: string;
  title: string;
}

/** The person-facing lists whose items a visit is the moment to close. */
const VISIT_WORKLISTS = ['care-gaps', 'referrals-to-chase', 'unanswered-messages', 'follow-ups'];
/** Patients per search: keeps each query's `patient=` list short. */
const CHUNK = 100;

/**
 * The open care gaps, referrals to chase and unanswered messages of the given patients
 * (`Patient/{id}` references), read through the caller's scoped store: a role that may not see
 * clinical gaps (the CLINICAL label) gets only the rest, so the front desk learns "a referral
 * to book" but never "no HbA1c in 6 months".
 */
export async function openWorkFor(
  repository: FhirRepository,
  patients: string[],
): Promise<Map<string, OpenWork[]>> {
  const byPatient = new Map<string, OpenWork[]>();
  const unique = [...new Set(patients)];
  for (let start = 0; start < unique.length; start += CHUNK) {
    const bundle = await repository.search({
      resourceType: 'Task',
      params: [
        ['patient', unique.slice(start, start + CHUNK).join(',')],
        ['performer', VISIT_WORKLISTS.map((name) => `${WORKLIST_SYSTEM}|${name}`).join(',')],
        ['status', OPEN_TASK_STATUSES.filter((status) => status !== 'on-hold').join(',')],
        ['_count', '1000'],
      ],
    });
    for (const entry of bundle.entry ?? []) addTask(byPatient, entry.resource as Task);
  }
  return byPatient;
}

function addTask(byPatient: Map<string, OpenWork[]>, task: Task): void {
  const patient = task.for?.reference;
  const worklist = task.performerType
    ?.flatMap((type) => type.coding ?? [])
    .find((coding) => coding.system === WORKLIST_SYSTEM)?.code;
  if (!patient || !worklist) return;
  const work = {
    task: `Task/${task.id}`,
    worklist,
    title: task.code?.text ?? task.code?.coding?.[0]?.display ?? 'Task',
  };
  byPatient.set(patient, [...(byPatient.get(patient) ?? []), work]);
}
