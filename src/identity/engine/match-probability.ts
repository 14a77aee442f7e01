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
