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
  for (const id of ids) {
    const other = await readLive(deps.repository, id);
    if (!other || isGolden(other) || other.active === false) continue;
    const outcome = deps.engine.compare(patient, other);
    if (outcome.band === 'no-link') continue;
    if (options.onlyCertain && outcome.band !== 'auto-link') continue;
    candidates.push({ patient: other, outcome });
  }
  candidates.sort((a, b) => b.outcome.score - a.outcome.score);
  return candidates.slice(0, options.count ?? 10);
}

async function readLive(repository: FhirRepository, id: string): Promise<Patient | undefined> {
  try {
    return await repository.read<Patient>('Patient', id);
  } catch {
    return undefined;
  }
}

/** Whether two records already belong to the same person (same golden record). */
export function samePerson(a: Patient, b: Patient): boolean {
  const golden = goldenIdOf(a);
  return golden !== undefined && golden === goldenIdOf(b);
}
