import type { Patient, Task } from '@medplum/fhirtypes';
import { findByBlockKeys } from '../../store/index.ts';
import type { IdentityDeps } from '../service/match-patient.ts';
import {
  PAIR_IDENTIFIER_SYSTEM,
  REVIEW_CODE,
  REVIEW_CODE_SYSTEM,
  pairKey,
  reviewItemOf,
} from './review-task.ts';
import type { ReviewItem } from './review-task.ts';

/** Pairs still waiting for staff: new and deferred. */
const PENDING = 'requested,on-hold';
/** Records sharing blocking keys with one of the person's records, looked at per record. */
const PARTNER_LIMIT = 200;

async function searchReviews(deps: IdentityDeps, param: [string, string]): Promise<Task[]> {
  const bundle = await deps.repository.search({
    resourceType: 'Task',
    params: [
      ['code', `${REVIEW_CODE_SYSTEM}|${REVIEW_CODE}`],
      ['status', PENDING],
      param,
      ['_count', '1000'],
    ],
  });
  return (bundle.entry ?? []).map((entry) => entry.resource as Task);
}

/**
 * The pair keys a pending review of one of these records can carry: a review Task's `focus` is
 * the first id of its pair, so a record that sorts second is found through the records it
 * shares blocking keys with — the same index `matchPatient` proposed the pair from.
 */
async function candidatePairKeys(deps: IdentityDeps, records: Patient[]): Promise<string[]> {
  const keys: string[] = [];
  for (const record of records) {
    const partners = await findByBlockKeys(deps.db, deps.engine.blockingKeys(record), {
      limit: PARTNER_LIMIT,
    });
    for (const partner of partners)
      if (partner !== record.id) keys.push(`${PAIR_IDENTIFIER_SYSTEM}|${pairKey(record.id!, partner)}`);
  }
  return [...new Set(keys)];
}

/**
 * Read-only: the pending possible-duplicate reviews (new or deferred) that involve any of
 * these records, highest score first. Tasks are read through `deps.repository`, so a caller's
 * scoped store decides what is visible and audits it.
 */
export async function listReviewsFor(deps: IdentityDeps, records: Patient[]): Promise<ReviewItem[]> {
  if (records.length === 0) return [];
  const tasks = await searchReviews(deps, ['focus', records.map((r) => `Patient/${r.id}`).join(',')]);
  const pairKeys = await candidatePairKeys(deps, records);
  if (pairKeys.length > 0) tasks.push(...(await searchReviews(deps, ['identifier', pairKeys.join(',')])));
  const byId = new Map(tasks.map((task) => [task.id, reviewItemOf(task)]));
  return [...byId.values()].sort(
    (x, y) => y.score - x.score || (x.createdAt ?? '').localeCompare(y.createdAt ?? ''),
  );
}
