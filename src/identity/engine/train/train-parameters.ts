import { systemClock } from '../../../kernel/clock.ts';
import { comparisons } from '../comparisons.ts';
import { defaultWeights, type MatchWeights } from '../compare-fields.ts';
import type { CandidatePairs } from '../link/candidate-pairs.ts';
import type { MatchRecord } from '../match-record.ts';
import { countValues, type TermFrequencies } from '../term-frequency.ts';
import { comparisonVectors, levelShares } from './comparison-vectors.ts';
import { fitScoreModel } from './score-model.ts';
import { randomSample, type RandomPairOptions } from './estimate-u.ts';
import { expectationMaximisation } from './expectation-maximisation.ts';
import { PARAMETERS_KIND, PARAMETERS_VERSION, type MatchParameters } from './match-parameters.ts';

export interface TrainingOptions extends RandomPairOptions {
  now?: Date;
  maxIterations?: number;
}

/**
 * Trains parameters on the population being linked, without labels: u from random pairs, m
 * by EM over the blocked candidate pairs (starting from the hand-set m), and value counts for
 * term-frequency adjustment.
 */
export function trainParameters(
  records: readonly MatchRecord[],
  pairs: CandidatePairs,
  options: TrainingOptions = {},
): MatchParameters {
  const random = randomSample(records, options);
  const u = levelShares(random.vectors);
  const vectors = comparisonVectors(records, pairs.left, pairs.right);
  const em = expectationMaximisation(vectors, { u, m: handSetM() }, { maxIterations: options.maxIterations });
  const weights = toWeights(em.m, u);
  const termFrequencies = termFrequenciesOf(records);
  const score = fitScoreModel(records, pairs, {
    start: { m: em.m, u },
    random,
    sideOf: options.sideOf,
  });
  return {
    ...trainingRecord({ records, pairs, samples: options.samples ?? 200_000, em, now: options.now }),
    matchProportion: em.matchProportion,
    prior: score.prior,
    scoreWeights: toWeights(score.m, score.u),
    weights,
    termFrequencies,
  };
}

/** What a set of parameters is and what it was trained on (kept with it, shown with the model). */
export function trainingRecord(training: {
  records: readonly MatchRecord[];
  pairs: CandidatePairs;
  samples: number;
  em: { iterations: number };
  now?: Date;
}): Pick<MatchParameters, 'kind' | 'version' | 'trainedAt' | 'trainedOn'> {
  return {
    kind: PARAMETERS_KIND,
    version: PARAMETERS_VERSION,
    trainedAt: (training.now ?? systemClock.now()).toISOString(),
    trainedOn: {
      records: training.records.length,
      candidatePairs: training.pairs.left.length,
      randomPairs: training.samples,
      emIterations: training.em.iterations,
    },
  };
}

/** Value counts for every comparison that has a term-frequency adjustment. */
export function termFrequenciesOf(records: readonly MatchRecord[]): TermFrequencies {
  const tables: TermFrequencies = {};
  for (const comparison of comparisons)
    if (comparison.termValue) tables[comparison.field] = countValues(records.map(comparison.termValue));
  return tables;
}

/** The hand-set m of each level, normalised: where EM starts. */
export function handSetM(): number[][] {
  return comparisons.map((comparison) => {
    const m = comparison.levels.map((level) => defaultWeights[comparison.field]![level]![0]);
    const total = m.reduce((sum, p) => sum + p, 0);
    return m.map((p) => p / total);
  });
}

export function toWeights(m: number[][], u: number[][]): MatchWeights {
  const weights: MatchWeights = {};
  comparisons.forEach((comparison, c) => {
    weights[comparison.field] = Object.fromEntries(
      comparison.levels.map((level, l) => [level, [m[c]![l]!, u[c]![l]!] as [number, number]]),
    );
  });
  return weights;
}
