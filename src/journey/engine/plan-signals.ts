import type { Flag, Resource, Task } from '@medplum/fhirtypes';
import type { OpenSignal } from './find-signals.ts';
import {
  CLINICAL_LABEL,
  OPEN_TASK_STATUSES,
  SIGNAL_IDENTIFIER,
  TASK_OUTCOME_SYSTEM,
} from './journey-codes.ts';
import {
  artifactIdentifier,
  identifierValue,
  painPointFlag,
  signalKey,
  signalTask,
} from './journey-resources.ts';

/**
 * The Task and Flag writes that make the stored signals match the open ones: new signals are
 * created; signals the record shows done close by themselves (`closed-by-record`); a gap that
 * closed that way and opens again is reopened; snoozed Tasks wake when their time comes. Tasks
 * staff completed or cancelled are theirs: the engine does not reopen them.
 */
export function planSignalWrites(input: SignalWritesInput): Resource[] {
  const { personId, signals, now } = input;
  // Only the signal artifacts: the referral loop's Tasks are reconciled by their own planner.
  const own = input.own.filter((resource) => artifactIdentifier(resource)?.system === SIGNAL_IDENTIFIER);
  const at = now.toISOString();
  const key = (signal: OpenSignal) => signalKey(personId, signal);
  return [
    ...reconcile(
      signals.filter((signal) => signal.rule.worklist),
      own.filter((resource): resource is Task => resource.resourceType === 'Task'),
      {
        key,
        create: (signal) => signalTask(personId, signal, at),
        open: (task) => reopenTask(task, now),
        close: (task) => closeTask(task, at),
      },
    ),
    ...reconcile(
      signals.filter((signal) => signal.rule.painPoint),
      own.filter((resource): resource is Flag => resource.resourceType === 'Flag'),
      {
        key,
        create: (signal) => painPointFlag(personId, signal, at),
        open: (flag) => reopenFlag(flag, at),
        close: (flag) => closeFlag(flag, at),
      },
    ),
  ];
}

export interface SignalWritesInput {
  personId: string;
  /** The signals open now. */
  signals: OpenSignal[];
  /** What the engine wrote for this person before (episodes, Tasks, Flags). */
  own: Resource[];
  now: Date;
}

interface Lifecycle<T extends Resource> {
  /** The identifier value a signal is stored under. */
  key(signal: OpenSignal): string;
  create(signal: OpenSignal): T;
  /** The write that (re)opens a stored one, or undefined when nothing changes. */
  open(stored: T): T | undefined;
  close(stored: T): T | undefined;
}

function reconcile<T extends Resource>(
  signals: OpenSignal[],
  stored: T[],
  lifecycle: Lifecycle<T>,
): Resource[] {
  const byKey = new Map(stored.map((resource) => [identifierValue(resource), resource]));
  const wanted = new Set<string>();
  const writes: Resource[] = [];
  for (const signal of signals) {
    const key = lifecycle.key(signal);
    if (wanted.has(key)) continue;
    wanted.add(key);
    const existing = byKey.get(key);
    const created = lifecycle.create(signal);
    const write = existing ? relabelled(lifecycle.open(existing) ?? existing, created, existing) : created;
    if (write) writes.push(write);
  }
  for (const [key, resource] of byKey) {
    if (key && wanted.has(key)) continue;
    const write = lifecycle.close(resource);
    if (write) writes.push(write);
  }
  return writes;
}

/**
 * The stored item with the labels the rule gives it now (a rule newly marked `clinicalDetail`
 * labels what it wrote before), or `undefined` when neither the lifecycle nor the labels change it.
 */
function relabelled<T extends Resource>(write: T, created: T, stored: T): T | undefined {
  const labels = (resource: Resource) => resource.meta?.security ?? [];
  const isClinical = (resource: Resource) =>
    labels(resource).some((label) => label.code === CLINICAL_LABEL.code);
  if (isClinical(stored) === isClinical(created)) return write === stored ? undefined : write;
  const others = labels(write).filter((label) => label.code !== CLINICAL_LABEL.code);
  return { ...write, meta: { ...write.meta, security: [...others, ...labels(created)] } };
}

const outcome = (code: string, display: string) => ({
  coding: [{ system: TASK_OUTCOME_SYSTEM, code, display }],
  text: display,
});

export function outcomeOf(task: Task): string | undefined {
  return task.businessStatus?.coding?.find((coding) => coding.system === TASK_OUTCOME_SYSTEM)?.code;
}

function reopenTask(task: Task, now: Date): Task | undefined {
  const closedByRecord = task.status === 'completed' && outcomeOf(task) === 'closed-by-record';
  const snoozeOver =
    task.status === 'on-hold' && Date.parse(task.restriction?.period?.start ?? '') <= now.getTime();
  if (!closedByRecord && !snoozeOver) return undefined;
  const { businessStatus: _b, restriction: _r, executionPeriod: _e, ...rest } = task;
  return { ...rest, status: 'requested', lastModified: now.toISOString() };
}

function closeTask(task: Task, at: string): Task | undefined {
  if (!OPEN_TASK_STATUSES.includes(task.status)) return undefined;
  return {
    ...task,
    status: 'completed',
    businessStatus: outcome('closed-by-record', 'Closed: the record shows it was done'),
    executionPeriod: { ...task.executionPeriod, end: at },
    lastModified: at,
  };
}

const reopenFlag = (flag: Flag, at: string): Flag | undefined =>
  flag.status === 'active' ? undefined : { ...flag, status: 'active', period: { start: at } };

const closeFlag = (flag: Flag, at: string): Flag | undefined =>
  flag.status === 'active' ? { ...flag, status: 'inactive', period: { ...flag.period, end: at } } : undefined;
