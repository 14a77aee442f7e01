import type { Patient } from '@medplum/fhirtypes';
import { findByBlockKeys, type FhirRepository, type SqlExecutor } from '../../store/index.ts';
import { goldenIdOf, isGolden } from '../golden/golden-record.ts';
import type { MatchEngine, MatchOutcome } from './match-engine.ts';

export interface IdentityDeps {
  repository: FhirRepository;
  db: SqlExecutor;
  engine: MatchEngine;
}

export interface Candidate {
  patient: Patient;
  outcome: MatchOutcome;
}

/**
 * The records that may be the same person as `patient`, best first: candidates come from the
 * blocking-key index (one indexed query), then each is scored. Golden records, retired
 * records and the patient itself are never candidates.
 */
export async function matchPatient(
  deps: IdentityDeps,
  patient: Patient,
  options: { count?: number; onlyCertain?: boolean } = {},
): Promise<Candidate[]> {
  const ids = (await findByBlockKeys(deps.db, deps.engine.blockingKeys(patient))).filter(
    (id) => id !== patient.id,
  );
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
 * The candidates in one search by `_id` (one query, one audit record) rather than a read each:
 * at 100k patients a common name gives a couple of hundred candidates. Deleted ones are absent.
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
