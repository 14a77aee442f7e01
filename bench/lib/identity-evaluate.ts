// Pairwise evaluation as Splink does it: every true pair counts, so a true pair that blocking
// never produced is a miss (it lowers recall), and precision is over the pairs scored.
import type { Dataset } from './identity-datasets.ts';

export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  falsePositives: number;
  threshold?: number;
}

/** Same-cluster pairs: within one file, or across the two files when linking. */
export function truePairCount(dataset: Dataset): number {
  const perCluster = new Map<string, Map<string, number>>();
  dataset.clusters.forEach((cluster, i) => {
    const sides = perCluster.get(cluster) ?? new Map<string, number>();
    const side = dataset.sides?.[i] ?? '';
    sides.set(side, (sides.get(side) ?? 0) + 1);
    perCluster.set(cluster, sides);
  });
  let total = 0;
  for (const sides of perCluster.values()) {
    const counts = [...sides.values()];
    if (dataset.sides) total += counts.length === 2 ? counts[0]! * counts[1]! : 0;
    else total += (counts[0]! * (counts[0]! - 1)) / 2;
  }
  return total;
}

export function metrics(truePositives: number, predicted: number, truePairs: number): Metrics {
  const precision = predicted > 0 ? truePositives / predicted : 1;
  const recall = truePairs > 0 ? truePositives / truePairs : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, falsePositives: predicted - truePositives };
}

/** The threshold on the score alone that maximises F1 (a sweep over the sorted scores). */
export function bestThreshold(scores: Float64Array, truth: Uint8Array, truePairs: number): Metrics {
  const order = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!);
  let best = metrics(0, 0, truePairs);
  let truePositives = 0;
  order.forEach((pair, rank) => {
    truePositives += truth[pair]!;
    const next = order[rank + 1];
    if (next !== undefined && scores[next] === scores[pair]) return;
    const candidate = metrics(truePositives, rank + 1, truePairs);
    if (candidate.f1 > best.f1) best = { ...candidate, threshold: scores[pair] };
  });
  return best;
}
