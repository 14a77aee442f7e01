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
  /** May release or re-assign a task someone else holds (care coordinator, admin). */
  mayReassign?: boolean;
  /** assign: whether the owner names someone real (an existing Practitioner or staff user). */
  ownerExists?: (owner: string) => Promise<boolean>;
}

/** One action on one worklist Task. */
export interface TaskCommand {
  taskId: string;
  action: WorklistAction;
  input: ActionInput;
  now: Date;
}

const STAFF_USER_SYSTEM = 'https://throughline.dev/fhir/staff-user';

/**
 * Staff work a worklist item: assign it, claim it, release it, complete it, or snooze it until
 * a date. Each is an update with If-Match on the version read, so two people acting on one
 * item at once cannot silently overwrite each other (the second gets a conflict).
 */
export async function actOnTask(repository: FhirRepository, command: TaskCommand): Promise<Task> {
  const { taskId, action, input, now } = command;
  const task = await repository.read<Task>('Task', taskId);
  if (!OPEN_TASK_STATUSES.includes(task.status))
    throw new ThroughlineError('CONFLICT', `Task/${taskId} is already ${task.status}`, {
      expression: 'Task.status',
    });
  await checkAction(task, action, input);
  const changed = withNote(applyAction(task, command), input, now);
  return (await repository.update(changed, { ifMatch: task.meta?.versionId })).resource;
}

/**
 * Work someone holds stays theirs: claiming it is a conflict, and only a role that assigns work
 * may release or re-assign it. An assigned owner must exist (no made-up references).
 */
async function checkAction(task: Task, action: WorklistAction, input: ActionInput): Promise<void> {
  const heldByOther = task.owner !== undefined && !ownedBy(task, input.actor.id);
  if (action === 'claim' && heldByOther)
    throw new ThroughlineError(
      'CONFLICT',
      `Task/${task.id} is held by ${task.owner?.display ?? 'someone else'}: they release it, or a coordinator re-assigns it`,
      { expression: 'Task.owner' },
    );
  if ((action === 'release' || action === 'assign') && heldByOther && !input.mayReassign)
    throw new ThroughlineError(
      'FORBIDDEN',
      `Only a care coordinator or admin may ${action} someone else's task`,
      {
        expression: 'Task.owner',
      },
    );
  if (action === 'assign') {
    if (!input.owner) throw invalid('owner', 'assign needs an owner (Practitioner/id or a staff user id)');
    if (!OWNER_FORM.test(input.owner) || !(await input.ownerExists?.(input.owner)))
      throw invalid('owner', `owner ${input.owner} is not a known Practitioner/id or staff user id`);
  }
}

const OWNER_FORM = /^(Practitioner\/[A-Za-z0-9\-.]{1,64}|[A-Za-z0-9\-._]{1,64})$/;

function ownedBy(task: Task, actorId: string): boolean {
  const identifier = task.owner?.identifier;
  return identifier?.system === STAFF_USER_SYSTEM && identifier.value === actorId;
}

function applyAction(task: Task, { action, input, now }: TaskCommand): Task {
  const at = now.toISOString();
  switch (action) {
    case 'assign':
      return { ...task, owner: ownerOf(input.owner!), status: 'accepted', lastModified: at };
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
  return owner.startsWith('Practitioner/')
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
