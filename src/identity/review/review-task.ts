import type { Task, TaskInput } from '@medplum/fhirtypes';

/**
 * A possible duplicate waiting for a person is a FHIR `Task` (DESIGN rule 1): `focus` is one
 * record, the `other-record` input the other, with the match score and the per-field
 * explanation. The pair key (both ids, sorted) is the Task's identifier, so one pair has one
 * Task — and a rejected Task is how "never propose this pair again" is remembered.
 */
export const REVIEW_CODE_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/identity';
export const REVIEW_CODE = 'possible-duplicate';
export const PAIR_IDENTIFIER_SYSTEM = 'https://throughline.dev/fhir/identity/pair';

export interface FieldExplanation {
  field: string;
  level: string;
  weight: number;
}

export interface ReviewItem {
  taskId: string;
  status: Task['status'];
  recordIds: [string, string];
  score: number;
  explanation: FieldExplanation[];
  createdAt?: string;
}

export function pairKey(a: string, b: string): string {
  return [a, b].sort().join('|');
}

/** Two records that may be one person, with the engine's score and why. */
export interface ProposedPair {
  /** Patient ids, in either order. */
  a: string;
  b: string;
  score: number;
  explanation: FieldExplanation[];
}

export function reviewTask(pair: ProposedPair, authoredOn: string): Task {
  const { a, b, score, explanation } = pair;
  const [first, second] = [a, b].sort() as [string, string];
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'proposal',
    identifier: [{ system: PAIR_IDENTIFIER_SYSTEM, value: pairKey(a, b) }],
    code: {
      coding: [
        { system: REVIEW_CODE_SYSTEM, code: REVIEW_CODE, display: 'Possible duplicate patient records' },
      ],
    },
    description: 'Possible duplicate patient records: confirm (link or merge), reject or defer',
    focus: { reference: `Patient/${first}` },
    for: { reference: `Patient/${first}` },
    authoredOn,
    input: [
      { type: { text: 'other-record' }, valueReference: { reference: `Patient/${second}` } },
      { type: { text: 'score' }, valueDecimal: score },
      { type: { text: 'explanation' }, valueString: JSON.stringify(explanation) },
    ],
  };
}

function input(task: Task, name: string): TaskInput | undefined {
  return task.input?.find((item) => item.type?.text === name);
}

export function reviewItemOf(task: Task): ReviewItem {
  const first = task.focus?.reference?.replace('Patient/', '') ?? '';
  const second = input(task, 'other-record')?.valueReference?.reference?.replace('Patient/', '') ?? '';
  return {
    taskId: task.id as string,
    status: task.status,
    recordIds: [first, second],
    score: input(task, 'score')?.valueDecimal ?? 0,
    explanation: JSON.parse(input(task, 'explanation')?.valueString ?? '[]') as FieldExplanation[],
    createdAt: task.authoredOn,
  };
}
