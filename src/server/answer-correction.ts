import type { Task } from '@medplum/fhirtypes';
import { decideCell, loadRoleMatrix, scopesAllow, type Principal } from '../access/index.ts';
import { OPEN_TASK_STATUSES } from '../journey/index.ts';
import { ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';
import { CORRECTION_CODE } from './portal-corrections.ts';

/**
 * Staff answer a patient's request to correct her record (issue 20, right to amend), from the
 * `record-corrections` worklist: accept it (`Task.status` completed, once the item is corrected)
 * or refuse it (`rejected`, with the reason in `Task.statusReason`, which she reads in the
 * portal). Deciding about an item of the record is for a role the role matrix lets change that
 * kind of item (a result: nurse or physician; her details: front desk too); the Task itself is
 * written with the caller's own store, so the checkpoint decides and audits it as theirs.
 */
export type CorrectionDecision = 'accept' | 'reject';
export const CORRECTION_DECISIONS: CorrectionDecision[] = ['accept', 'reject'];

export interface CorrectionAnswer {
  taskId: string;
  decision: CorrectionDecision;
  /** Why, in words the patient reads: required to refuse. */
  reason?: string;
}

const MAX_REASON = 1000;

/** `{reason?}` from the body: required to refuse, at most 1000 characters (400 naming it otherwise). */
export function reasonOf(body: unknown, decision: CorrectionDecision): string | undefined {
  const { reason } = (body ?? {}) as Record<string, unknown>;
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (reason !== undefined && typeof reason !== 'string')
    throw new ThroughlineError('INVALID_REQUEST', 'reason must be text', { expression: 'reason' });
  if (decision === 'reject' && !text)
    throw new ThroughlineError('INVALID_REQUEST', 'Say why the record stays as it is: the patient reads it', {
      expression: 'reason',
    });
  if (text.length > MAX_REASON)
    throw new ThroughlineError('INVALID_REQUEST', `reason is at most ${MAX_REASON} characters`, {
      expression: 'reason',
    });
  return text || undefined;
}

/** The type of item the request is about (her details when she named none). */
const itemTypeOf = (task: Task) => task.focus?.reference?.split('/')[0] ?? 'Patient';

/** Whether one of the caller's roles, within her scopes, may change that kind of item for any patient. */
export function mayDecideOn(principal: Principal, resourceType: string): boolean {
  const matrix = loadRoleMatrix();
  const cell = { resourceType, interaction: 'u' as const, relation: 'any' as const, patientData: true };
  return (
    scopesAllow(principal.scopes, resourceType, 'u') &&
    principal.roles.some((role) => decideCell(matrix, role, cell) === 'allow')
  );
}

function checkAnswerable(task: Task, principal: Principal): void {
  const isCorrection = task.code?.coding?.some(
    (coding) => coding.system === CORRECTION_CODE.system && coding.code === CORRECTION_CODE.code,
  );
  if (!isCorrection)
    throw new ThroughlineError('INVALID_REQUEST', `Task/${task.id} is not a request to correct a record`, {
      expression: 'Task.code',
    });
  if (!OPEN_TASK_STATUSES.includes(task.status))
    throw new ThroughlineError('CONFLICT', `Task/${task.id} was already answered (${task.status})`, {
      expression: 'Task.status',
    });
  const type = itemTypeOf(task);
  if (!mayDecideOn(principal, type))
    throw new ThroughlineError(
      'FORBIDDEN',
      `Only a role that may change ${type} records may answer this request`,
    );
}

/** Accepts or refuses one request; If-Match on the version read, so two answers cannot cross. */
export async function answerCorrection(
  own: FhirRepository,
  request: { principal: Principal; answer: CorrectionAnswer; now: Date },
): Promise<Task> {
  const { principal, answer, now } = request;
  const task = await own.read<Task>('Task', answer.taskId);
  checkAnswerable(task, principal);
  const at = now.toISOString();
  const answered: Task = {
    ...task,
    status: answer.decision === 'accept' ? 'completed' : 'rejected',
    ...(answer.reason ? { statusReason: { text: answer.reason } } : {}),
    executionPeriod: { ...task.executionPeriod, end: at },
    lastModified: at,
  };
  return (await own.update(answered, { ifMatch: task.meta?.versionId })).resource;
}
