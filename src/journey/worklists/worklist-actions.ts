import type { Task } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { OPEN_TASK_STATUSES, TASK_OUTCOME_SYSTEM } from '../engine/journey-codes.ts';

export type WorklistAction = 'assign' | 'claim' | 'complete' | 'snooze' | 'release';
export const WORKLIST_ACTIONS: WorklistAction[] = ['assign', 'claim', 'complete', 'snooze', 'release'];

export interface ActionInput {
  /** Who acts (the signed-in user or client). */
  actor: { id: string; display?: string };
  /** assign: `Practitioner/123`, or a staff user id. */
  owner?: string;
  /** snooze: until when (an instant in the future). */
  until?: string;
  note?: string;
}

const STAFF_USER_SYSTEM = 'https://throughline.dev/fhir/staff-user';

/**
 * Staff work a worklist item: assign it, claim it, release it, complete it, or snooze it until
 * a date. Each is an update with If-Match on the version read, so two people acting on one
 * item at once cannot silently overwrite each other (the second gets a conflict).
 */
export async function actOnTask(
  repository: FhirRepository,
  taskId: string,
  action: WorklistAction,
  input: ActionInput,
  now: Date,
): Promise<Task> {
  const task = await repository.read<Task>('Task', taskId);
  if (!OPEN_TASK_STATUSES.includes(task.status))
    throw new ThroughlineError('CONFLICT', `Task/${taskId} is already ${task.status}`, {
      expression: 'Task.status',
    });
  const changed = withNote(applyAction(task, action, input, now), input, now);
  return (await repository.update(changed, { ifMatch: task.meta?.versionId })).resource;
}

function applyAction(task: Task, action: WorklistAction, input: ActionInput, now: Date): Task {
  const at = now.toISOString();
  switch (action) {
    case 'assign':
      if (!input.owner) throw invalid('owner', 'assign needs an owner (Practitioner/id or a staff user id)');
      return { ...task, owner: ownerOf(input.owner), status: 'accepted', lastModified: at };
    case 'claim':
      return { ...task, owner: staffOwner(input.actor), status: 'in-progress', lastModified: at };
    case 'release': {
      const { owner: _owner, ...rest } = task;
      return { ...rest, status: 'requested', lastModified: at };
    }
    case 'complete':
      return {
        ...task,
        status: 'completed',
        businessStatus: {
          coding: [
            { system: TASK_OUTCOME_SYSTEM, code: 'completed-by-staff', display: 'Completed by staff' },
          ],
        },
        executionPeriod: { ...task.executionPeriod, end: at },
        lastModified: at,
      };
    case 'snooze':
      if (!input.until || !(Date.parse(input.until) > now.getTime()))
        throw invalid('until', 'snooze needs `until`, an instant in the future');
      return {
        ...task,
        status: 'on-hold',
        restriction: { ...task.restriction, period: { start: input.until } },
        lastModified: at,
      };
  }
}

function ownerOf(owner: string): NonNullable<Task['owner']> {
  return /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(owner)
    ? ({ reference: owner } as NonNullable<Task['owner']>)
    : staffOwner({ id: owner });
}

const staffOwner = (actor: { id: string; display?: string }): NonNullable<Task['owner']> => ({
  identifier: { system: STAFF_USER_SYSTEM, value: actor.id },
  display: actor.display ?? actor.id,
});

function withNote(task: Task, input: ActionInput, now: Date): Task {
  if (!input.note) return task;
  return {
    ...task,
    note: [
      ...(task.note ?? []),
      { authorString: input.actor.display ?? input.actor.id, time: now.toISOString(), text: input.note },
    ],
  };
}

const invalid = (field: string, message: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression: field });
