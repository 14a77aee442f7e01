import { combinedKeysOf } from '../engine/blocking-keys.ts';
import { candidatePairs } from '../engine/link/candidate-pairs.ts';
import type { MatchRecord } from '../engine/match-record.ts';
import type { ValueCounts } from '../engine/term-frequency.ts';
import { comparisonVectors, levelShares } from '../engine/train/comparison-vectors.ts';
import { randomSample, type RandomPairOptions } from '../engine/train/estimate-u.ts';
import { expectationMaximisation } from '../engine/train/expectation-maximisation.ts';
import type { MatchParameters } from '../engine/train/match-parameters.ts';
import { handSetM, termFrequenciesOf, toWeights, trainingRecord } from '../engine/train/train-parameters.ts';
import { fitScoreModel } from '../engine/train/score-model.ts';
import { defaultSettings, weighRecords, type EngineSettings } from '../engine/basic-engine.ts';
import { priorShiftFromDecisions, shiftPrior } from '../engine/train/prior-from-decisions.ts';
import { anchoredM, type LabelledPair } from './anchored-em.ts';

export type { LabelledPair };

export interface DecisionTrainingOptions extends RandomPairOptions {
  now?: Date;
  /** How many candidate pairs one confirmed staff decision counts as (default 10). */
  labelWeight?: number;
}

export interface DecisionTraining {
  parameters: MatchParameters;
  /** For people: what the version was trained on. */
  trainedOn: string;
}

/**
 * Trains on the patient population as the engine's train module does (u from random pairs, m
 * by EM over the pairs of the combined blocking keys, value counts for term frequencies),
 * then lets staff decisions correct m: EM runs on from its unlabelled optimum with every
 * labelled pair's match probability held at what staff said (1 for link/merge, 0 for reject)
 * instead of guessed. A rejected look-alike then no longer counts as a half-match, so the
 * levels that look-alikes show (a different given name beside a shared address) lose weight.
 */
export function trainWithDecisions(
  records: readonly MatchRecord[],
  labels: readonly LabelledPair[],
  options: DecisionTrainingOptions = {},
): DecisionTraining {
  const pairs = candidatePairs(records.map(combinedKeysOf));
  const random = randomSample(records, options);
  const u = levelShares(random.vectors);
  const vectors = comparisonVectors(records, pairs.left, pairs.right);
  const em = expectationMaximisation(vectors, { u, m: handSetM() });
  const refined = labels.length
    ? anchoredM({ records, pairs, vectors, labels, u, start: em, labelWeight: options.labelWeight ?? 10 })
    : { m: em.m, matchProportion: em.matchProportion };
  const samples = options.samples ?? 200_000;
  const matches = labels.filter((label) => label.match).length;
  const weights = toWeights(refined.m, u);
  const termFrequencies = withoutSingletons(termFrequenciesOf(records));
  const score = fitScoreModel(records, pairs, { start: { m: refined.m, u }, random });
  const scoreWeights = toWeights(score.m, score.u);
  const parameters: MatchParameters = {
    ...trainingRecord({ records, pairs, samples, em, now: options.now }),
    matchProportion: refined.matchProportion,
    weights,
    termFrequencies,
    scoreWeights,
    ...priorWithDecisions(records, labels, {
      settings: { ...defaultSettings, weights, termFrequencies, scoreWeights },
      unlabelledPrior: score.prior,
    }),
  };
  const trainedOn =
    `${records.length} patient records, ${pairs.left.length} candidate pairs, ${samples} random pairs, ` +
    `${matches} confirmed and ${labels.length - matches} rejected staff decisions`;
  return { parameters, trainedOn };
}

/**
 * λ from the population (the score model's), then corrected by the decisions: each decided
 * pair is weighed with the new score weights, and the log2 prior odds move by the shift that
 * fits what staff decided (`priorShiftFromDecisions`). Without decisions λ stays as estimated.
 */
function priorWithDecisions(
  records: readonly MatchRecord[],
  labels: readonly LabelledPair[],
  weighing: { settings: EngineSettings; unlabelledPrior: number },
): Pick<MatchParameters, 'prior' | 'priorFromDecisions'> {
  const { settings, unlabelledPrior } = weighing;
  if (labels.length === 0) return { prior: unlabelledPrior };
  const odds = Math.log2(unlabelledPrior / (1 - unlabelledPrior));
  const shiftBits = priorShiftFromDecisions(
    labels.map(({ a, b, match }) => ({
      logOdds: weighRecords(records[a]!, records[b]!, settings).evidence + odds,
      match,
    })),
  );
  return {
    prior: shiftPrior(unlabelledPrior, shiftBits),
    priorFromDecisions: { shiftBits, unlabelledPrior, decisions: labels.length },
  };
}

/**
 * Drops values seen once from the term-frequency tables: the engine counts an unseen value as
 * seen once, so scores are unchanged, and a million unique street lines stay out of the JSON.
 */
function withoutSingletons(tables: Record<string, ValueCounts>): Record<string, ValueCounts> {
  return Object.fromEntries(
    Object.entries(tables).map(([field, table]) => [
      field,
      {
        total: table.total,
        counts: Object.fromEntries(Object.entries(table.counts).filter(([, count]) => count > 1)),
      },
    ]),
  );
}
