import type { Task } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { WORKLIST_SYSTEM } from '../engine/journey-codes.ts';

/** A follow-up a person asks for from the 360 page: "call her back about the form", with a due date. */
export interface FollowUpRequest {
  /** `Patient/{id}`. */
  patient: string;
  title: string;
  note?: string;
  /** YYYY-MM-DD: when it should be done by (the list sorts by urgency, then age). */
  due?: string;
  priority?: Task['priority'];
  /** Who asked (the signed-in user), as the Task's requester. */
  requester: NonNullable<Task['requester']>;
}

export const FOLLOW_UPS = 'follow-ups';
const PRIORITIES: Task['priority'][] = ['routine', 'urgent', 'asap', 'stat'];

/**
 * Writes the follow-up as a Task on the `follow-ups` worklist, through the caller's scoped store
 * (the checkpoint decides whether this user may write a Task about this patient). Bad input is a
 * 400 naming the field; a patient the caller cannot read is a 404, and nothing is written.
 */
export async function createFollowUp(
  repository: FhirRepository,
  request: FollowUpRequest,
  now: Date,
): Promise<Task> {
  const task = followUpTask(checked(request, now), now);
  await repository.read('Patient', request.patient.slice('Patient/'.length));
  return (await repository.create<Task>(task)).resource;
}

function checked(request: FollowUpRequest, now: Date): FollowUpRequest {
  const invalid = (field: string, message: string) =>
    new ThroughlineError('INVALID_REQUEST', message, { expression: field });
  if (!/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(request.patient ?? ''))
    throw invalid('patient', 'patient must be a Patient reference');
  const title = (request.title ?? '').trim();
  if (title.length === 0 || title.length > 200) throw invalid('title', 'title must be 1 to 200 characters');
  if ((request.note ?? '').length > 2000) throw invalid('note', 'note must be at most 2000 characters');
  if (request.due !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(request.due) || Number.isNaN(Date.parse(request.due)))
      throw invalid('due', 'due must be a date, YYYY-MM-DD');
    if (request.due < now.toISOString().slice(0, 10)) throw invalid('due', 'due must not be in the past');
  }
  if (request.priority !== undefined && !PRIORITIES.includes(request.priority))
    throw invalid('priority', `priority must be one of ${PRIORITIES.join(', ')}`);
  return { ...request, title };
}

function followUpTask(request: FollowUpRequest, now: Date): Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: request.priority ?? 'routine',
    code: { text: request.title },
    description: request.note?.trim() || undefined,
    for: { reference: request.patient },
    authoredOn: now.toISOString(),
    requester: request.requester,
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: FOLLOW_UPS }] }],
    ...(request.due ? { restriction: { period: { end: `${request.due}T23:59:59Z` } } } : {}),
  };
}
