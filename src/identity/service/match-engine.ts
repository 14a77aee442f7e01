import type { Patient } from '@medplum/fhirtypes';
import type { FieldExplanation } from '../review/review-task.ts';

/** How two records compare: the Fellegi–Sunter score, its band, and why (per field). */
export interface MatchOutcome {
  score: number;
  band: 'auto-link' | 'review' | 'no-link';
  explanation: FieldExplanation[];
}

/**
 * What the identity service needs from a record-linkage engine. The engine in `../matching`
 * implements it; the service stays independent of how scores are computed.
 */
export interface MatchEngine {
  blockingKeys(patient: Patient): string[];
  compare(a: Patient, b: Patient): MatchOutcome;
}
