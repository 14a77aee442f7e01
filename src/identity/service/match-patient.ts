import type { Patient } from '@medplum/fhirtypes';
import { findByBlockKeys, type FhirRepository, type SqlExecutor } from '../../store/index.ts';
import { goldenIdOf, isGolden } from '../golden/golden-record.ts';
import type { MatchEngine, MatchOutcome } from './match-engine.ts';
import { matchGrade, type MatchGrade } from './match-grade.ts';

export interface IdentityDeps {
  repository: FhirRepository;
  db: SqlExecutor;
  engine: MatchEngine;
}

/**
 * Candidates read and scored per match: the records sharing the rarest blocking keys. The true
 * match shares nearly all of its keys and ranks first or second (all 550 typo'd probes of the
 * `$match` benchmark, at 100k and at 1M patients). Past the first dozens come records sharing one
 * or two keys, mostly no-link. Against scoring every candidate, a weak review-band result in
 * the top 5 differs for 16 of those probes at 1M (5 with 200 candidates, which cost 4-6 ms more
 * at p50); a certain (auto-link) match is never missed.
 */
export const CANDIDATE_LIMIT = 50;

export interface Candidate {
  patient: Patient;
  outcome: MatchOutcome;
  grade: MatchGrade;
}

/**
 * The records that may be the same person as `patient`, best first: candidates come from the
 * blocking-key index (one indexed query, the `CANDIDATE_LIMIT` sharing most keys), then each
 * is scored and graded (`matchGrade`); `certainly-not` ones are left out, and `onlyCertain` keeps
 * only `certain` ones. Golden records, retired records and the patient itself are never candidates.
 */
export async function matchPatient(
  deps: IdentityDeps,
  patient: Patient,
  options: { count?: number; onlyCertain?: boolean } = {},
): Promise<Candidate[]> {
  const keys = deps.engine.blockingKeys(patient);
  const ids = (await findByBlockKeys(deps.db, keys, { limit: CANDIDATE_LIMIT + 1 })).filter(
    (id) => id !== patient.id,
  );
  const candidates: Candidate[] = [];
  for (const other of await readPatients(deps.repository, ids)) {
    if (isGolden(other) || other.active === false) continue;
    const outcome = deps.engine.compare(patient, other);
    const grade = matchGrade(outcome);
    if (grade === 'certainly-not' || (options.onlyCertain && grade !== 'certain')) continue;
    candidates.push({ patient: other, outcome, grade });
  }
  candidates.sort((a, b) => b.outcome.score - a.outcome.score);
  return candidates.slice(0, options.count ?? 10);
}

/**
 * The candidates in one search by `_id` (one query, one audit record) rather than a read each.
 * Deleted ones are absent.
 */
async function readPatients(repository: FhirRepository, ids: string[]): Promise<Patient[]> {
  if (ids.length === 0) return [];
  const bundle = await repository.search({
    resourceType: 'Patient',
    params: [
      ['_id', ids.join(',')],
      ['_count', String(ids.length)],
      ['_total', 'none'],
    ],
  });
  return (bundle.entry ?? []).map((entry) => entry.resource as Patient);
}

/** Whether two records already belong to the same person (same golden record). */
export function samePerson(a: Patient, b: Patient): boolean {
  const golden = goldenIdOf(a);
  return golden !== undefined && golden === goldenIdOf(b);
}
