import { comparisons } from '../comparisons.ts';
import type { CandidatePairs } from '../link/candidate-pairs.ts';
import type { MatchRecord } from '../match-record.ts';
import { MISSING, comparisonVectors } from './comparison-vectors.ts';

/**
 * The model `search.score` is computed from: m, u and λ fitted together by EM over every pair
 * of records — the candidate pairs enumerated, the pairs blocking never produced sampled at
 * random and weighted up to their number. The band weights take u from random pairs, which
 * holds the matches among them: where duplicates are many (fake_1000, ≈ 5 records a person,
 * 0.41% of random pairs are matches) that inflates u of rare agreements (an exact birth date
 * 1.7e-3 against 2.5e-5 among non-matches) and every middling score is too low. Here each
 * pair counts towards u by its probability of not being a match, so u is the non-match
 * distribution, and λ is the match share over all pairs. No term-frequency adjustment: value
 * shares squared miss the duplicates in the same way (`docs/benchmarks.md`).
 */
export interface ScoreModel {
  m: number[][];
  u: number[][];
  /** λ: the probability that two records drawn at random are one person. */
  prior: number;
}

export interface ScoreModelOptions {
  /** Where EM starts: the band model's m and u (from random pairs). */
  start: { m: number[][]; u: number[][] };
  /** The random pairs u was estimated from, with their comparison vectors. */
  random: { left: number[]; right: number[]; vectors: Uint8Array[] };
  /** When linking two files: which file a record (by index) comes from. */
  sideOf?: (index: number) => string | undefined;
  maxIterations?: number;
}

/** Pairs with the same level on every comparison share a posterior: EM runs on the patterns. */
interface Pattern {
  levels: number[];
  /** How many pairs of records show this pattern (sampled pairs weighted up). */
  weight: number;
}

export function fitScoreModel(
  records: readonly MatchRecord[],
  pairs: CandidatePairs,
  options: ScoreModelOptions,
): ScoreModel {
  const total = allPairs(records.length, options.sideOf);
  const patterns = new Map<number, Pattern>();
  addPatterns(patterns, comparisonVectors(records, pairs.left, pairs.right), () => 1);
  // The random pairs that blocking did not produce stand for all such pairs.
  const other = outsideBlocking(records.length, pairs, options.random);
  const kept = other.reduce((sum, flag) => sum + flag, 0);
  const weight = Math.max(total - pairs.left.length, 0) / Math.max(kept, 1);
  addPatterns(patterns, options.random.vectors, (pair) => other[pair]! * weight);
  const start = Math.min(0.25, pairs.left.length / Math.max(total, 1) / 2);
  let model: ScoreModel = { ...options.start, prior: start };
  for (let iteration = 0; iteration < (options.maxIterations ?? 200); iteration++) {
    const next = emStep([...patterns.values()], model);
    const moved = Math.abs(Math.log(next.prior / model.prior));
    model = next;
    if (moved < 1e-6) break;
  }
  return model;
}

function addPatterns(
  patterns: Map<number, Pattern>,
  vectors: Uint8Array[],
  weightOf: (pair: number) => number,
): void {
  const size = vectors[0]?.length ?? 0;
  for (let pair = 0; pair < size; pair++) {
    const weight = weightOf(pair);
    if (weight === 0) continue;
    let key = 0;
    for (const vector of vectors) key = key * 16 + (vector[pair] === MISSING ? 15 : vector[pair]!);
    const pattern = patterns.get(key);
    if (pattern) pattern.weight += weight;
    else patterns.set(key, { levels: vectors.map((vector) => vector[pair]!), weight });
  }
}

/** One E and M step: expected level counts among matches and non-matches. */
function emStep(patterns: Pattern[], { m, u, prior }: ScoreModel): ScoreModel {
  const matchCounts = comparisons.map((c) => new Array<number>(c.levels.length).fill(0.01));
  const otherCounts = comparisons.map((c) => new Array<number>(c.levels.length).fill(0.5));
  let expectedMatches = 0;
  let weighed = 0;
  for (const { levels, weight } of patterns) {
    let odds = prior / (1 - prior);
    levels.forEach((level, c) => {
      if (level !== MISSING) odds *= m[c]![level]! / u[c]![level]!;
    });
    const p = Number.isFinite(odds) ? odds / (1 + odds) : 1;
    expectedMatches += weight * p;
    weighed += weight;
    levels.forEach((level, c) => {
      if (level === MISSING) return;
      matchCounts[c]![level]! += weight * p;
      otherCounts[c]![level]! += weight * (1 - p);
    });
  }
  return { m: shares(matchCounts), u: shares(otherCounts), prior: expectedMatches / Math.max(weighed, 1) };
}

const shares = (counts: number[][]) =>
  counts.map((row) => {
    const sum = row.reduce((total, count) => total + count, 0);
    return row.map((count) => count / sum);
  });

/** 1 for each random pair that is not a candidate pair, else 0. */
function outsideBlocking(size: number, pairs: CandidatePairs, random: { left: number[]; right: number[] }) {
  const key = (i: number, j: number) => Math.min(i, j) * size + Math.max(i, j);
  const candidate = new Set<number>();
  for (let pair = 0; pair < pairs.left.length; pair++)
    candidate.add(key(pairs.left[pair]!, pairs.right[pair]!));
  return Uint8Array.from(random.left, (i, pair) => (candidate.has(key(i, random.right[pair]!)) ? 0 : 1));
}

/** Every pair of records, or every pair across the two files. */
export function allPairs(size: number, sideOf?: (index: number) => string | undefined): number {
  if (!sideOf) return (size * (size - 1)) / 2;
  const perSide = new Map<string | undefined, number>();
  for (let i = 0; i < size; i++) perSide.set(sideOf(i), (perSide.get(sideOf(i)) ?? 0) + 1);
  const counts = [...perSide.values()];
  const total = counts.reduce((sum, count) => sum + count, 0);
  return (total * total - counts.reduce((sum, count) => sum + count * count, 0)) / 2;
}
