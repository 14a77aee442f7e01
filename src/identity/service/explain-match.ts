import type { Patient } from '@medplum/fhirtypes';
import { matchGrade } from './match-grade.ts';
import type { Candidate, IdentityDeps } from './match-patient.ts';

/**
 * One pair explained: `patient` compared with the stored record `candidateId` (read through
 * the caller's store, so it is checked and audited), whatever its grade — the only answer
 * that can be `certainly-not`.
 */
export async function explainMatch(
  deps: Pick<IdentityDeps, 'repository' | 'engine'>,
  patient: Patient,
  candidateId: string,
): Promise<Candidate> {
  const other = await deps.repository.read<Patient>('Patient', candidateId);
  const outcome = deps.engine.compare(patient, other);
  return { patient: other, outcome, grade: matchGrade(outcome) };
}
