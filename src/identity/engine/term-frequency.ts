/**
 * Term-frequency adjustment: agreeing on "smith" is weaker evidence than agreeing on
 * "okonkwo". For an exact match on value v, a random pair agrees on v with probability p(v)²
 * and a true pair with m·p(v), so the Bayes factor is m / p(v) instead of m / u; the
 * adjustment added to the level's weight is log2(u / p(v)). Counts come from the records
 * being linked; they are plain data so they can be stored with the trained parameters.
 */
export interface ValueCounts {
  total: number;
  counts: Record<string, number>;
}

export type TermFrequencies = Record<string, ValueCounts>;

export function countValues(values: Iterable<string>): ValueCounts {
  const counts: Record<string, number> = {};
  let total = 0;
  for (const value of values) {
    if (!value) continue;
    counts[value] = (counts[value] ?? 0) + 1;
    total++;
  }
  return { total, counts };
}

/** Share of records holding `value`; a value never seen counts as seen once. */
export function shareOf(table: ValueCounts, value: string): number {
  return (table.counts[value] ?? 1) / Math.max(table.total, 1);
}

/** Bits to add to an exact-match weight whose average u is `uExact`. */
export function termFrequencyAdjustment(uExact: number, table: ValueCounts, value: string): number {
  return Math.log2(uExact / shareOf(table, value));
}
