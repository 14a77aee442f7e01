import type { Resource, Task } from '@medplum/fhirtypes';
import type { AutomationDeps } from './automation-deps.ts';
import type { PlannedAction } from './evaluate-rule.ts';
import type { RuleEvent } from './rule-model.ts';
import { EFFECT_KEY_SYSTEM, WORKLIST_SYSTEM } from './rule-profile.ts';

/** What an action is carried out on and under which key (`{run key}/{action index}`). */
export interface ActionTarget {
  event: RuleEvent;
  patient?: string;
  key: string;
}

type Perform = (deps: AutomationDeps, action: PlannedAction, target: ActionTarget) => Promise<string>;

const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

/** A CommunicationRequest through engagement, keyed: a replay finds the one already made. */
const send: Perform = async (deps, action, target) => {
  if (!target.patient) throw new Error('no patient to send to: the write belongs to no patient');
  const channel = text(action.values.channel);
  const message = text(action.values.text);
  const { id } = await deps.requestOutreach({
    patient: target.patient,
    purpose: String(action.values.purpose),
    about: [`${target.event.resourceType}/${target.event.id}`],
    key: target.key,
    ...(channel ? { channel } : {}),
    ...(message ? { text: message } : {}),
  });
  return `CommunicationRequest/${id}`;
};

/** A Task on a worklist (Task.performerType), keyed by its identifier. */
const task: Perform = async (deps, action, target) => {
  const worklist = text(action.values.worklist) ?? 'care-gaps';
  const resource: Task = {
    resourceType: 'Task',
    identifier: [{ system: EFFECT_KEY_SYSTEM, value: target.key }],
    status: 'requested',
    intent: 'order',
    priority: (text(action.values.priority) as Task['priority']) ?? 'routine',
    description: String(action.values.description),
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: worklist }] }],
    focus: { reference: `${target.event.resourceType}/${target.event.id}` },
    ...(target.patient ? { for: { reference: target.patient } } : {}),
    authoredOn: deps.clock.now().toISOString(),
  };
  const { resource: stored } = await deps.repository.create(resource, {
    ifNoneExist: `identifier=${EFFECT_KEY_SYSTEM}|${target.key}`,
  });
  return `Task/${stored.id}`;
};

/** Sets elements of the triggering resource (a patch): setting what is already set changes nothing. */
const update: Perform = async (deps, action, target) => {
  const { resourceType, id } = target.event;
  const current = await deps.repository.read<Resource>(resourceType, id);
  const changed = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(action.values)) setPath(changed, path, value);
  await deps.repository.update(changed as unknown as Resource, { ifMatch: current.meta?.versionId });
  return `${resourceType}/${id}`;
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export const PERFORMERS: Record<'send' | 'task' | 'update', Perform> = { send, task, update };
