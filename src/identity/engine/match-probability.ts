/**
 * From a Fellegi–Sunter weight to the probability that two records are one person, as
 * Splink's match probability: the summed log2 Bayes factors plus the log2 prior odds
 * λ/(1−λ), then p = 2^w / (1 + 2^w).
 *
 * λ is the probability that two records drawn at random are the same person. That is the
 * population the u probabilities come from (random pairs), so it is the prior that goes with
 * them: blocking only chooses which pairs get scored, and the agreement that put a pair into
 * a block is already in its weight. Using the (much larger) share of matches among blocked
 * pairs as the prior would count that agreement twice.
 */
export function probabilityOfMatch(weight: number, prior: number): number {
  const bits = weight + Math.log2(prior / (1 - prior));
  return 1 / (1 + 2 ** -bits);
}

/**
 * λ by maximum likelihood with m and u held: the expected number of matches among the scored
 * pairs (each counted by its probability under λ) over all pairs of records, iterated to a
 * fixed point. Pairs that blocking never produced count as non-matches, so `weights` should be
 * the pairs of a blocking that finds nearly all matches.
 */
export function estimatePrior(weights: ArrayLike<number>, allPairs: number): number {
  let prior = Math.min(0.5, Math.max(1e-12, weights.length / Math.max(allPairs, 1) / 2));
  for (let iteration = 0; iteration < 100; iteration++) {
    let expected = 0;
    for (let pair = 0; pair < weights.length; pair++) expected += probabilityOfMatch(weights[pair]!, prior);
    const next = Math.min(0.5, Math.max(1e-12, expected / Math.max(allPairs, 1)));
    if (Math.abs(next - prior) <= prior * 1e-6) return next;
    prior = next;
  }
  return prior;
}
