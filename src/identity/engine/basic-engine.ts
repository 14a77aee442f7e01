import type { Patient } from '@medplum/fhirtypes';
import type { FieldExplanation } from '../review/review-task.ts';
import type { MatchEngine, MatchOutcome } from '../service/match-engine.ts';
import { blockingKeysOf } from './blocking-keys.ts';
import { compareFields, defaultWeights, type MatchWeights } from './compare-fields.ts';
import { toMatchRecord, type MatchRecord } from './match-record.ts';
import type { TermFrequencies } from './term-frequency.ts';

export { blockingKeysOf };

export interface EngineSettings {
  weights: MatchWeights;
  /** Total weight at or above which records are linked without review. */
  autoLink: number;
  /** Total weight at or above which a pair is queued for review. */
  review: number;
  /**
   * A name or birth-date disagreement weighing this much or less (bits) blocks auto-link.
   * The weight says how rare such a disagreement is among true matches in this population.
   */
  contradiction?: number;
  /** Value counts per field from the linked population; without them no TF adjustment. */
  termFrequencies?: TermFrequencies;
}

export const defaultSettings: EngineSettings = {
  weights: defaultWeights,
  autoLink: 17,
  review: 7,
  contradiction: -4.5,
};

/** Fields whose outright disagreement is what twins and relatives in one household look like. */
const CONTRADICTING_FIELDS = new Set(['family', 'given', 'birthDate']);

export function scoreRecords(
  a: MatchRecord,
  b: MatchRecord,
  settings: EngineSettings = defaultSettings,
): MatchOutcome {
  const explanation = compareFields(a, b, settings.weights, settings.termFrequencies);
  const score = Math.round(explanation.reduce((sum, field) => sum + field.weight, 0) * 100) / 100;
  const contradicted = isContradicted(explanation, settings.contradiction ?? -4.5);
  const band =
    score >= settings.autoLink && !contradicted
      ? 'auto-link'
      : score >= settings.review
        ? 'review'
        : 'no-link';
  return { score, band, explanation };
}

/**
 * However much else agrees (household phone and address, even the birth date for twins), a
 * name or birth date that disagrees where true matches almost never do means a person decides —
 * unless both records carry the same identifier (or it with one keying error): relatives share
 * a household, not a national id. Where the data is noisy enough that such disagreements are
 * common among true matches (trained weights above the bar), they do not block.
 */
function isContradicted(explanation: FieldExplanation[], bar: number): boolean {
  const identifier = explanation.find((field) => field.field === 'identifier')?.level;
  if (identifier === 'shared' || identifier === 'typo') return false;
  return explanation.some(
    (field) => CONTRADICTING_FIELDS.has(field.field) && field.level === 'different' && field.weight <= bar,
  );
}

/** The engine the identity service uses by default. */
export function createBasicEngine(settings: EngineSettings = defaultSettings): MatchEngine {
  return {
    blockingKeys: (patient: Patient) => blockingKeysOf(toMatchRecord(patient)),
    compare: (a: Patient, b: Patient) => scoreRecords(toMatchRecord(a), toMatchRecord(b), settings),
  };
}
