import type { Patient } from '@medplum/fhirtypes';
import { findByBlockKeys, type FhirRepository, type SqlExecutor } from '../../store/index.ts';
import { goldenIdOf, isGolden } from '../golden/golden-record.ts';
import type { MatchEngine, MatchOutcome } from './match-engine.ts';

export interface IdentityDeps {
  repository: FhirRepository;
  db: SqlExecutor;
  engine: MatchEngine;
}

/**
 * Candidates read and scored per match: the records sharing the most blocking keys. The true
 * match shares nearly all of its keys and ranks first or second (measured on the `$match`
 * benchmark: all 500 typo'd probes at 100k); past the first few dozen come records
 * sharing one key, which seldom score above no-link and cost a read and a comparison each.
 */
export const CANDIDATE_LIMIT = 50;

export interface Candidate {
  patient: Patient;
  outcome: MatchOutcome;
}

/**
 * The records that may be the same person as `patient`, best first: candidates come from the
 * blocking-key index (one indexed query, the `CANDIDATE_LIMIT` sharing most keys), then each
 * is scored. Golden records, retired records and the patient itself are never candidates.
 */
export async function matchPatient(
  deps: IdentityDeps,
  patient: Patient,
  options: { count?: number; onlyCertain?: boolean } = {},
): Promise<Candidate[]> {
  const keys = deps.engine.blockingKeys(patient);
  const ids = (await findByBlockKeys(deps.db, keys, CANDIDATE_LIMIT + 1)).filter((id) => id !== patient.id);
  const candidates: Candidate[] = [];
  for (const other of await readPatients(deps.repository, ids)) {
    if (isGolden(other) || other.active === false) continue;
    const outcome = deps.engine.compare(patient, other);
    if (outcome.band === 'no-link') continue;
    if (options.onlyCertain && outcome.band !== 'auto-link') continue;
    candidates.push({ patient: other, outcome });
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
