import type { MatchRecord } from '../match-record.ts';
import { comparisonVectors, levelShares } from './comparison-vectors.ts';

export interface RandomPairOptions {
  samples?: number;
  seed?: number;
  /** For linking two files: only pairs across the files are drawn. */
  sideOf?: (index: number) => string | undefined;
}

/**
 * u per comparison level: how often each level occurs among random pairs. With tens of
 * thousands of records a random pair is almost never a true match, so this is the
 * non-match distribution without any labels.
 */
export function estimateU(records: readonly MatchRecord[], options: RandomPairOptions = {}): number[][] {
  return levelShares(randomSample(records, options).vectors);
}

/** Random pairs with their comparison vectors (u and the score model both read them). */
export function randomSample(records: readonly MatchRecord[], options: RandomPairOptions = {}) {
  const { left, right } = randomPairs(records.length, options);
  return { left, right, vectors: comparisonVectors(records, left, right) };
}

/** `samples` pairs of distinct records drawn at random (across the files when linking two). */
export function randomPairs(size: number, options: RandomPairOptions = {}) {
  const samples = options.samples ?? 200_000;
  const random = seededRandom(options.seed ?? 42);
  const left: number[] = [];
  const right: number[] = [];
  for (let tries = 0; left.length < samples && tries < samples * 20; tries++) {
    const i = Math.floor(random() * size);
    const j = Math.floor(random() * size);
    if (i === j) continue;
    if (options.sideOf && options.sideOf(i) === options.sideOf(j)) continue;
    left.push(i);
    right.push(j);
  }
  return { left, right };
}

/** Mulberry32: a small seeded generator, so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
