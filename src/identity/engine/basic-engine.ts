import type { Patient } from '@medplum/fhirtypes';
import type { FieldExplanation } from '../review/review-task.ts';
import type { MatchEngine, MatchOutcome } from '../service/match-engine.ts';
import { blockingKeysOf } from './blocking-keys.ts';
import { compareFields, defaultWeights, type MatchWeights } from './compare-fields.ts';
import { toMatchRecord, type MatchRecord } from './match-record.ts';
import { probabilityOfMatch } from './match-probability.ts';
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
  /**
   * λ: the probability that two records drawn at random are the same person (the prior of
   * `MatchOutcome.probability`). A trained model estimates it from its population.
   */
  prior?: number;
  /**
   * m and u of the score model (`train/score-model.ts`): when given, `probability` weighs each
   * field's level with these (no term frequencies) instead of `weights`. Bands never use them.
   */
  scoreWeights?: MatchWeights;
}

/**
 * The hand-set weights' prior: one pair of records in 10,000 is the same person (e.g. 2,000
 * records holding 200 duplicate pairs). A trained model replaces it with its own estimate.
 */
export const DEFAULT_PRIOR = 1e-4;

export const defaultSettings: EngineSettings = {
  weights: defaultWeights,
  autoLink: 17,
  review: 7,
  contradiction: -4.5,
  prior: DEFAULT_PRIOR,
};

/** Fields whose outright disagreement is what twins and relatives in one household look like. */
const CONTRADICTING_FIELDS = new Set(['family', 'given', 'birthDate']);
/** What a household shares: no evidence for "same person" once relatives are the question. */
const HOUSEHOLD_FIELDS = new Set(['phone', 'email', 'postcode', 'street', 'city']);

export function scoreRecords(
  a: MatchRecord,
  b: MatchRecord,
  settings: EngineSettings = defaultSettings,
): MatchOutcome {
  const { explanation, score, contradicted, evidence } = weighRecords(a, b, settings);
  const band =
    score >= settings.autoLink && !contradicted
      ? 'auto-link'
      : score >= settings.review
        ? 'review'
        : 'no-link';
  return {
    score,
    band,
    probability: probabilityOfMatch(evidence, settings.prior ?? DEFAULT_PRIOR),
    explanation,
  };
}

/**
 * The per-field explanation, its summed weight (`score`), whether a name or birth date
 * contradicts, and `evidence`: the weight the probability is computed from.
 */
export function weighRecords(a: MatchRecord, b: MatchRecord, settings: EngineSettings = defaultSettings) {
  const explanation = compareFields(a, b, settings);
  const score = Math.round(explanation.reduce((sum, field) => sum + field.weight, 0) * 100) / 100;
  const contradicted =
    isContradicted(explanation, settings.contradiction ?? -4.5) || generationApart(a, b, explanation);
  const weighed = settings.scoreWeights ? reweighed(explanation, settings.scoreWeights) : explanation;
  const evidence = contradicted
    ? personalWeight(weighed)
    : settings.scoreWeights
      ? weighed.reduce((sum, field) => sum + field.weight, 0)
      : score;
  return { explanation, score, contradicted, evidence };
}

/** The same levels, weighed log2(m/u) with other parameters (a level they lack weighs 0). */
function reweighed(explanation: FieldExplanation[], weights: MatchWeights): FieldExplanation[] {
  return explanation.map((field) => {
    const [m, u] = weights[field.field]?.[field.level] ?? [1, 1];
    return { ...field, weight: Math.log2(m / u) };
  });
}

/**
 * The weight without what a household shares. A contradicted pair is a relative or the same
 * person, and a shared phone or address is what both look like: those fields are scored as
 * if independent of the names, which they are not within a household, so their agreement is
 * left out of the probability (their disagreement still counts).
 */
function personalWeight(explanation: FieldExplanation[]): number {
  return explanation.reduce(
    (sum, field) => sum + (HOUSEHOLD_FIELDS.has(field.field) ? Math.min(field.weight, 0) : field.weight),
    0,
  );
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

/**
 * Birth years with their last two digits swapped (1958 / 1985) and otherwise the same date:
 * one keystroke, but also a parent and child a generation apart, who share a name and a
 * household — so a person decides, unless an identifier is shared, as for any contradiction.
 */
function generationApart(a: MatchRecord, b: MatchRecord, explanation: FieldExplanation[]): boolean {
  const level = (name: string) => explanation.find((field) => field.field === name)?.level;
  if (level('birthDate') !== 'typo' || level('identifier') === 'shared' || level('identifier') === 'typo')
    return false;
  const [x, y] = [a.birthDate, b.birthDate];
  const swapped = x.slice(0, 2) + x[3] + x[2] + x.slice(4);
  const apart = Math.abs(Number(x.slice(0, 4)) - Number(y.slice(0, 4)));
  return swapped === y && apart >= GENERATION.least && apart <= GENERATION.most;
}

/**
 * Years between the births of a parent and a child: from 15 to 50 covers nearly every birth
 * (mothers, and fathers but for about one birth in a hundred). Swapped year digits are 9, 18,
 * 27, … years apart, so 18–45 is a generation; 1918 / 1981 (63 years) is a slip, not a parent.
 */
const GENERATION = { least: 15, most: 50 };

/** The engine the identity service uses by default. */
export function createBasicEngine(settings: EngineSettings = defaultSettings): MatchEngine {
  return {
    blockingKeys: (patient: Patient) => blockingKeysOf(toMatchRecord(patient)),
    compare: (a: Patient, b: Patient) => scoreRecords(toMatchRecord(a), toMatchRecord(b), settings),
  };
}
