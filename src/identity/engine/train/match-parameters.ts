import { DEFAULT_PRIOR, type EngineSettings } from '../basic-engine.ts';
import type { MatchWeights } from '../compare-fields.ts';
import type { TermFrequencies } from '../term-frequency.ts';

/**
 * Trained model parameters as plain JSON the caller stores: versioned so an old file is
 * refused rather than misread, and retrainable from the same population at any time.
 */
export const PARAMETERS_KIND = 'throughline.identity.match-parameters';
export const PARAMETERS_VERSION = 1;

export interface MatchParameters {
  kind: typeof PARAMETERS_KIND;
  version: typeof PARAMETERS_VERSION;
  trainedAt: string;
  trainedOn: { records: number; candidatePairs: number; randomPairs: number; emIterations: number };
  /** Share of candidate pairs that EM judged to be matches. */
  matchProportion: number;
  /**
   * λ: the probability that two random records of the population are one person, fitted with
   * `scoreWeights` (`fitScoreModel`). Versions stored before it existed score with
   * `DEFAULT_PRIOR`.
   */
  prior?: number;
  /**
   * m and u of the score model (`fitScoreModel`), which `search.score` is computed from;
   * versions stored before it existed compute it from `weights` and term frequencies.
   */
  scoreWeights?: MatchWeights;
  /**
   * When staff decisions corrected λ (`priorShiftFromDecisions`): the shift of its log2 odds
   * and the unlabelled λ it was applied to; `prior` is the corrected value.
   */
  priorFromDecisions?: { shiftBits: number; unlabelledPrior: number; decisions: number };
  weights: MatchWeights;
  termFrequencies?: TermFrequencies;
}

/** Reads stored parameters back; throws on another kind or version. */
export function parseParameters(json: string): MatchParameters {
  const value = JSON.parse(json) as Partial<MatchParameters>;
  if (value.kind !== PARAMETERS_KIND || value.version !== PARAMETERS_VERSION || !value.weights)
    throw new Error(`not ${PARAMETERS_KIND} version ${PARAMETERS_VERSION}`);
  return value as MatchParameters;
}

/**
 * EM can lock onto the wrong latent class — households (same family name, address, phone)
 * instead of persons — when duplicates are few and relatives many. In such a model the fields
 * that identify a person (given name, family name, birth date) disagree in most "matches"
 * (on average over the three more often than not); it is refused and the caller keeps the
 * hand-set weights. Noisy data may make one field disagree often (historical_50k: half the
 * given names), which alone is no reason to refuse. Returns the reasons, empty when plausible.
 */
export function implausibilities(parameters: MatchParameters): string[] {
  const fields = ['given', 'family', 'birthDate'];
  const shares = fields.map((field) => parameters.weights[field]?.different?.[0] ?? 0);
  const mean = shares.reduce((sum, share) => sum + share, 0) / fields.length;
  if (mean <= 0.5) return [];
  return fields.map((field, i) => `${field} differs in ${(shares[i]! * 100).toFixed(0)}% of "matches"`);
}

/** Engine settings that score with trained parameters and the given thresholds. */
export function settingsFromParameters(
  parameters: MatchParameters,
  thresholds: Pick<EngineSettings, 'autoLink' | 'review' | 'contradiction'>,
): EngineSettings {
  const { autoLink, review, contradiction } = thresholds;
  return {
    autoLink,
    review,
    contradiction,
    weights: parameters.weights,
    termFrequencies: parameters.termFrequencies,
    prior: parameters.prior ?? DEFAULT_PRIOR,
    scoreWeights: parameters.scoreWeights,
  };
}
