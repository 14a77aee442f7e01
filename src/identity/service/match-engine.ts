import type { Patient } from '@medplum/fhirtypes';
import type { MatchParameters } from '../engine/train/match-parameters.ts';
import type { FieldExplanation } from '../review/review-task.ts';

/** How two records compare: the Fellegi–Sunter score, its band, and why (per field). */
export interface MatchOutcome {
  /** Summed log2 Bayes factors (bits), without the prior: what the bands' thresholds compare. */
  score: number;
  band: 'auto-link' | 'review' | 'no-link';
  /** The probability that the two records are one person, the prior included (0–1). */
  probability: number;
  explanation: FieldExplanation[];
}

/**
 * What the identity service needs from a record-linkage engine. The engine in `../matching`
 * implements it; the service stays independent of how scores are computed.
 */
export interface MatchEngine {
  blockingKeys(patient: Patient): string[];
  compare(a: Patient, b: Patient): MatchOutcome;
  /**
   * Engines with trainable parameters switch to a newly activated model version at once, so
   * retraining needs no restart (of this process; other nodes load it when they start).
   */
  useParameters?(parameters: MatchParameters): void;
}
