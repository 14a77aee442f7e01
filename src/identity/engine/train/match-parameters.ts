import type { EngineSettings } from '../basic-engine.ts';
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

/** Engine settings that score with trained parameters and the given thresholds. */
export function settingsFromParameters(
  parameters: MatchParameters,
  thresholds: Pick<EngineSettings, 'autoLink' | 'review'>,
): EngineSettings {
  return { ...thresholds, weights: parameters.weights, termFrequencies: parameters.termFrequencies };
}
