import { comparisons } from '../comparisons.ts';
import type { MatchRecord } from '../match-record.ts';

/** Marks a comparison that a pair cannot make (a side lacks the field). */
export const MISSING = 255;

/**
 * The level index of each comparison for each pair: one byte array per comparison (in the
 * order of `comparisons`), indexed by pair. This compact form is what training iterates over.
 */
export function comparisonVectors(
  records: readonly MatchRecord[],
  left: ArrayLike<number>,
  right: ArrayLike<number>,
): Uint8Array[] {
  const vectors = comparisons.map(() => new Uint8Array(left.length));
  for (let pair = 0; pair < left.length; pair++) {
    const [a, b] = [records[left[pair]!]!, records[right[pair]!]!];
    comparisons.forEach((comparison, c) => {
      const level = comparison.level(a, b);
      vectors[c]![pair] = level === undefined ? MISSING : comparison.levels.indexOf(level);
    });
  }
  return vectors;
}

/** Share of each level among the pairs that make the comparison, with add-`smoothing` counts. */
export function levelShares(
  vectors: Uint8Array[],
  weightOf?: (pair: number) => number,
  smoothing = 0.5,
): number[][] {
  return comparisons.map((comparison, c) => {
    const counts = new Array<number>(comparison.levels.length).fill(smoothing);
    const vector = vectors[c]!;
    for (let pair = 0; pair < vector.length; pair++)
      if (vector[pair] !== MISSING) counts[vector[pair]!]! += weightOf ? weightOf(pair) : 1;
    const total = counts.reduce((sum, count) => sum + count, 0);
    return counts.map((count) => count / total);
  });
}
