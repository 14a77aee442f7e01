import type { Coding, Resource, Task } from '@medplum/fhirtypes';
import type { AutomationDeps } from './automation-deps.ts';
import type { PlannedAction } from './evaluate-rule.ts';
import { eventKey, type RuleEvent } from './rule-model.ts';
import { WORKLIST_SYSTEM } from '../../fhir/worklist-system.ts';
import { EFFECT_KEY_SYSTEM } from './rule-profile.ts';
import { postWebhook } from './post-webhook.ts';

/** What an action is carried out on and under which key (`{run key}/{action index}`). */
export interface ActionTarget {
  event: RuleEvent;
  patient?: string;
  key: string;
  /** The run's labels (its trigger's): what the action makes tells the same story, and carries them. */
  labels?: Coding[];
}

/** What an action did: the resource it created or changed, and a word on it. */
export interface Performed {
  result?: string;
  detail?: string;
}

type Perform = (deps: AutomationDeps, action: PlannedAction, target: ActionTarget) => Promise<Performed>;

/**
 * An action that could not finish yet and should be tried again later (an HL7 destination gave
 * no ACK): not a failure of the rule; the run goes back on the queue with this action next.
 */
export class ActionDeferred extends Error {
  readonly retryInMs: number;
  constructor(reason: string, retryInMs: number) {
    super(reason);
    this.retryInMs = retryInMs;
  }
}

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
    ...(target.labels ? { labels: target.labels } : {}),
    ...(channel ? { channel } : {}),
    ...(message ? { text: message } : {}),
  });
  return { result: `CommunicationRequest/${id}` };
};

/** A Task on a worklist (Task.performerType), keyed by its identifier. */
const task: Perform = async (deps, action, target) => {
  const worklist = text(action.values.worklist) ?? 'care-gaps';
  const resource: Task = {
    resourceType: 'Task',
    ...(target.labels ? { meta: { security: target.labels } } : {}),
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
  return { result: `Task/${stored.id}` };
};

/** Sets elements of the triggering resource (a patch): setting what is already set changes nothing. */
const update: Perform = async (deps, action, target) => {
  const { resourceType, id } = target.event;
  const current = await deps.repository.read<Resource>(resourceType, id);
  const changed = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(action.values)) setPath(changed, path, value);
  await deps.repository.update(changed as unknown as Resource, { ifMatch: current.meta?.versionId });
  return { result: `${resourceType}/${id}` };
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

/**
 * An HL7 v2 message about the triggering write, through the outbound message store (kept, then
 * sent, its ACK recorded; keyed by destination, type and resource version, so the configured
 * feed and a rule never send one message twice). No ACK defers the action; AE/AR fail it.
 */
const hl7Send: Perform = async (deps, action, target) => {
  if (!deps.sendHl7) throw new Error('no outbound HL7 v2 connector is wired');
  const destination = text(action.values.destination);
  const result = await deps.sendHl7({
    message: String(action.values.message),
    resource: eventKey(target.event),
    ...(destination ? { destination } : {}),
    ...(target.patient ? { patient: target.patient } : {}),
  });
  if (result.pending) throw new ActionDeferred(result.pending.reason, result.pending.retryInMs);
  const said = result.sent.map((each) => `${each.destination}: ${each.status} (MSH-10 ${each.controlId})`);
  const refused = result.sent.filter((each) => each.status !== 'accepted');
  if (refused.length > 0) throw new Error(`not accepted: ${said.join('; ')}`);
  return {
    detail: said.length > 0 ? `${action.values.message} ${said.join('; ')}` : 'no destination takes it',
  };
};

/**
 * POSTs signed JSON about the triggering write (`url`; every other value of the action is a
 * field of the body) to an allowed host. A refusal that may pass (5xx, 408, 429, no answer)
 * defers the action; any other refusal, or a host outside the allowed ones, fails it.
 */
const webhook: Perform = async (deps, action, target) => {
  if (!deps.webhooks) throw new Error('no webhook connector is wired');
  const { url, ...fields } = action.values;
  const body = JSON.stringify({
    event: eventKey(target.event),
    action: target.event.action,
    ...(target.patient ? { patient: target.patient } : {}),
    key: target.key,
    ...fields,
  });
  const answer = await postWebhook(deps.webhooks, { url: String(url), body, key: target.key });
  if (answer.ok) return { detail: `POST ${String(url)}: HTTP ${answer.status}` };
  if (answer.retry)
    throw new ActionDeferred(`POST ${String(url)}: ${answer.reason}`, deps.webhooks.retryBaseMs);
  throw new Error(`POST ${String(url)}: ${answer.reason}`);
};

/**
 * What each action does; `wait` and `branch` are the run's own steps (`perform-step.ts`), and
 * `extract` runs at its schedule's occurrence (`run-extracts.ts`), never on one write.
 */
export const PERFORMERS: Record<Exclude<PlannedAction['type'], 'wait' | 'branch' | 'extract'>, Perform> = {
  send,
  task,
  update,
  'hl7-send': hl7Send,
  webhook,
};
