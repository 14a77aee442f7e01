import { MISSING, levelShares } from './comparison-vectors.ts';

export interface EmResult {
  m: number[][];
  /** Share of the candidate pairs that are matches. */
  matchProportion: number;
  iterations: number;
}

/** Level probabilities per comparison: u (held fixed) and the m EM starts from. */
export interface EmStart {
  u: number[][];
  m: number[][];
}

/** The Fellegi–Sunter model a pair is scored under: m, u and the match proportion λ. */
export interface PairModel {
  m: number[][];
  u: number[][];
  lambda: number;
}

/**
 * Expectation–maximisation for m with u held fixed (u comes from random pairs, as Splink
 * does): the E step gives each candidate pair its match probability under the current m, the
 * M step sets m to the level shares weighted by those probabilities. Stops when no m moves by
 * more than `tolerance`.
 */
export function expectationMaximisation(
  vectors: Uint8Array[],
  start: EmStart,
  options: { maxIterations?: number; tolerance?: number; matchProportion?: number } = {},
): EmResult {
  const { u } = start;
  let m = start.m;
  let lambda = options.matchProportion ?? 0.3;
  const pairs = vectors[0]?.length ?? 0;
  const probability = new Float64Array(pairs);
  for (let iteration = 1; iteration <= (options.maxIterations ?? 50); iteration++) {
    let sum = 0;
    const model = { m, u, lambda };
    for (let pair = 0; pair < pairs; pair++) {
      probability[pair] = matchProbability(vectors, pair, model);
      sum += probability[pair]!;
    }
    lambda = sum / Math.max(pairs, 1);
    const next = levelShares(vectors, (pair) => probability[pair]!, 0.01);
    const moved = Math.max(...next.flatMap((levels, c) => levels.map((p, l) => Math.abs(p - m[c]![l]!))));
    m = next;
    if (moved < (options.tolerance ?? 1e-4)) return { m, matchProportion: lambda, iterations: iteration };
  }
  return { m, matchProportion: lambda, iterations: options.maxIterations ?? 50 };
}

/** P(match) of one pair under m, u and the match proportion (Fellegi–Sunter odds). */
export function matchProbability(vectors: Uint8Array[], pair: number, { m, u, lambda }: PairModel) {
  let bayesFactor = 1;
  for (let c = 0; c < vectors.length; c++) {
    const level = vectors[c]![pair]!;
    if (level !== MISSING) bayesFactor *= m[c]![level]! / u[c]![level]!;
  }
  const odds = (lambda / (1 - lambda)) * bayesFactor;
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
}
