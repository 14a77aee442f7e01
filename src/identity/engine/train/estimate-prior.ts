import { weighRecords, type EngineSettings } from '../basic-engine.ts';
import type { CandidatePairs } from '../link/candidate-pairs.ts';
import type { MatchRecord } from '../match-record.ts';
import { estimatePrior } from '../match-probability.ts';

export interface PriorOptions {
  /** The trained settings the candidate pairs are weighed with. */
  settings: EngineSettings;
  /** When linking two files: which file a record (by index) comes from. */
  sideOf?: (index: number) => string | undefined;
}

/**
 * λ for trained settings: the candidate pairs weighed as the engine weighs them, then the
 * fixed point of `estimatePrior` over all pairs of records (across the two files when linking
 * two). The candidate pairs must be a blocking that finds nearly every match (the combined
 * keys do), because pairs outside it count as non-matches.
 */
export function priorOf(
  records: readonly MatchRecord[],
  pairs: CandidatePairs,
  options: PriorOptions,
): number {
  const { settings, sideOf } = options;
  const weights = Float64Array.from(
    pairs.left,
    (left, pair) => weighRecords(records[left]!, records[pairs.right[pair]!]!, settings).evidence,
  );
  return estimatePrior(weights, allPairs(records.length, sideOf));
}

/** Every pair of records, or every pair across the two files. */
function allPairs(size: number, sideOf?: (index: number) => string | undefined): number {
  if (!sideOf) return (size * (size - 1)) / 2;
  const perSide = new Map<string | undefined, number>();
  for (let i = 0; i < size; i++) perSide.set(sideOf(i), (perSide.get(sideOf(i)) ?? 0) + 1);
  const counts = [...perSide.values()];
  const total = counts.reduce((sum, count) => sum + count, 0);
  return (total * total - counts.reduce((sum, count) => sum + count * count, 0)) / 2;
}
