import type { CandidatePairs } from '../engine/link/candidate-pairs.ts';
import type { MatchRecord } from '../engine/match-record.ts';
import { comparisonVectors, levelShares } from '../engine/train/comparison-vectors.ts';
import { matchProbability } from '../engine/train/expectation-maximisation.ts';

/** A pair staff decided on, as indices into the training records. */
export interface LabelledPair {
  a: number;
  b: number;
  /** true: linked or merged; false: rejected. */
  match: boolean;
}

export interface AnchoredEmInput {
  records: readonly MatchRecord[];
  /** The blocked candidate pairs, as indices into `records`. */
  pairs: CandidatePairs;
  /** The candidate pairs' comparison vectors. */
  vectors: Uint8Array[];
  labels: readonly LabelledPair[];
  /** u per comparison and level, held fixed. */
  u: number[][];
  /** Where EM starts: its unlabelled optimum. */
  start: { m: number[][]; matchProportion: number };
  /** How many candidate pairs one confirmed pair weighs in the M step. */
  labelWeight: number;
}

/**
 * EM for m (u held fixed, as in the engine) with anchors: the labelled pairs keep the match
 * probability staff gave them in every E step, and each confirmed pair weighs `labelWeight`
 * candidate pairs in the M step — decisions are few and sit exactly where EM is least sure.
 * A labelled pair that blocking also produced is counted once, as labelled.
 */
export function anchoredM(
  input: AnchoredEmInput,
  options: { maxIterations?: number; tolerance?: number } = {},
): { m: number[][]; matchProportion: number } {
  const { records, pairs, vectors, labels, u, start, labelWeight } = input;
  const unlabelled = pairs.left.length;
  const combined = withLabelledPairs(records, vectors, labels);
  const skip = labelledCandidates(records.length, pairs, labels);
  const weight = new Float64Array(unlabelled + labels.length);
  labels.forEach((label, i) => (weight[unlabelled + i] = label.match ? labelWeight : 0));
  let { m, matchProportion } = start;
  for (let iteration = 0; iteration < (options.maxIterations ?? 50); iteration++) {
    let sum = 0;
    const model = { m, u, lambda: matchProportion };
    for (let pair = 0; pair < unlabelled; pair++) {
      weight[pair] = skip[pair] ? 0 : matchProbability(combined, pair, model);
      sum += weight[pair]!;
    }
    const confirmed = labels.filter((label) => label.match).length;
    matchProportion = (sum + confirmed) / Math.max(unlabelled + labels.length, 1);
    const next = levelShares(combined, (pair) => weight[pair]!, 0.01);
    const moved = Math.max(...next.flatMap((levels, c) => levels.map((p, l) => Math.abs(p - m[c]![l]!))));
    m = next;
    if (moved < (options.tolerance ?? 1e-4)) break;
  }
  return { m, matchProportion };
}

/** The candidate pairs' vectors followed by the labelled pairs' vectors, per comparison. */
function withLabelledPairs(
  records: readonly MatchRecord[],
  vectors: Uint8Array[],
  labels: readonly LabelledPair[],
): Uint8Array[] {
  const labelled = comparisonVectors(
    records,
    labels.map((label) => label.a),
    labels.map((label) => label.b),
  );
  return vectors.map((vector, c) => {
    const joined = new Uint8Array(vector.length + labels.length);
    joined.set(vector);
    joined.set(labelled[c]!, vector.length);
    return joined;
  });
}

/** Marks the candidate pairs that are also labelled (so they count once, as labelled). */
function labelledCandidates(
  size: number,
  pairs: CandidatePairs,
  labels: readonly LabelledPair[],
): Uint8Array {
  const keyOf = (a: number, b: number) => Math.min(a, b) * size + Math.max(a, b);
  const keys = new Set(labels.map((label) => keyOf(label.a, label.b)));
  const skip = new Uint8Array(pairs.left.length);
  for (let pair = 0; pair < skip.length; pair++)
    if (keys.has(keyOf(pairs.left[pair]!, pairs.right[pair]!))) skip[pair] = 1;
  return skip;
}
