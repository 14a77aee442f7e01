import { systemClock } from '../../kernel/clock.ts';
import { actorReference, type Actor } from '../merge/merge-record.ts';
import type { Task } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { linkRecords } from '../golden/link-records.ts';
import { mergePatients } from '../merge/merge-patients.ts';
import {
  PAIR_IDENTIFIER_SYSTEM,
  REVIEW_CODE,
  REVIEW_CODE_SYSTEM,
  pairKey,
  reviewItemOf,
  reviewTask,
  type ProposedPair,
  type ReviewItem,
} from './review-task.ts';

/**
 * Puts a pair on the review queue unless it is already there or staff rejected it before.
 * Conditional create on the pair identifier keeps one Task per pair even under concurrency.
 */
export async function proposeReview(
  repository: FhirRepository,
  pair: ProposedPair & { now?: Date },
): Promise<{ item: ReviewItem; created: boolean }> {
  const task = reviewTask(pair, (pair.now ?? systemClock.now()).toISOString());
  const result = await repository.create(task, {
    ifNoneExist: `identifier=${PAIR_IDENTIFIER_SYSTEM}|${pairKey(pair.a, pair.b)}`,
  });
  return { item: reviewItemOf(result.resource), created: result.outcome === 'created' };
}

/** Open review items, highest score first (then oldest first). */
export async function listReviewQueue(
  repository: FhirRepository,
  options: { includeDeferred?: boolean } = {},
): Promise<ReviewItem[]> {
  const statuses = options.includeDeferred ? 'requested,on-hold' : 'requested';
  const bundle = await repository.search({
    resourceType: 'Task',
    params: [
      ['code', `${REVIEW_CODE_SYSTEM}|${REVIEW_CODE}`],
      ['status', statuses],
      ['_count', '1000'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => reviewItemOf(entry.resource as Task))
    .sort((x, y) => y.score - x.score || (x.createdAt ?? '').localeCompare(y.createdAt ?? ''));
}

/** Whether staff rejected this pair before (it is then never proposed again). */
export async function wasRejected(repository: FhirRepository, a: string, b: string): Promise<boolean> {
  const bundle = await repository.search({
    resourceType: 'Task',
    params: [
      ['identifier', `${PAIR_IDENTIFIER_SYSTEM}|${pairKey(a, b)}`],
      ['status', 'rejected'],
      ['_summary', 'count'],
    ],
  });
  return (bundle.total ?? 0) > 0;
}

export type ReviewDecision = 'link' | 'merge' | 'reject' | 'defer';

export interface DecisionInput {
  /** The review Task's id. */
  taskId: string;
  decision: ReviewDecision;
  /** Who decided (kept as the Task's owner). */
  by: Actor;
  /** When; defaults to now. */
  now?: Date;
}

/**
 * A staff decision on a review item. `link` joins the records under one golden record;
 * `merge` merges the first record into the second; `reject` is remembered; `defer` parks it.
 * The decision, who made it and when are kept on the Task (its history is the audit trail).
 */
export async function decideReview(repository: FhirRepository, input: DecisionInput): Promise<Task> {
  const { taskId, decision, by, now = systemClock.now() } = input;
  const task = await repository.read<Task>('Task', taskId);
  if (task.status !== 'requested' && task.status !== 'on-hold') {
    throw new ThroughlineError('CONFLICT', `Review ${taskId} was already decided (${task.status})`);
  }
  const [first, second] = reviewItemOf(task).recordIds;
  if (decision === 'link') await linkRecords(repository, [first, second]);
  if (decision === 'merge')
    await mergePatients(repository, {
      sourceId: first,
      targetId: second,
      performedBy: by,
      reason: `review ${taskId}`,
    });
  const status: Task['status'] =
    decision === 'reject' ? 'rejected' : decision === 'defer' ? 'on-hold' : 'completed';
  const decided: Task = {
    ...task,
    status,
    businessStatus: { text: decision },
    owner: actorReference(by),
    lastModified: now.toISOString(),
  };
  return (await repository.update(decided, { ifMatch: task.meta?.versionId })).resource;
}
