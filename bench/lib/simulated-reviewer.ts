// A simulated reviewer for the reliability of `search.score` after staff decisions: from the
// review band (the pairs the product queues for a person), a seeded sample of pairs is decided
// by the truth, λ is corrected from those decisions exactly as training with decisions does
// (`priorShiftFromDecisions`), and the reliability is measured on the other pairs only.
import {
  logOddsOf,
  priorShiftFromDecisions,
  shiftPrior,
} from '../../src/identity/engine/train/prior-from-decisions.ts';
import { seededRandom } from '../../src/identity/engine/train/estimate-u.ts';
import { reliabilityDeciles, type DecileRow } from './identity-reliability.ts';

export interface ReviewedPairs {
  probabilities: Float64Array;
  truth: Uint8Array;
  /** 1 where the pair is in the review band. */
  inReview: Uint8Array;
}

export interface ReviewerRun {
  decisions: number;
  links: number;
  shiftBits: number;
  /** Deciles over the pairs the reviewer did not decide, with the corrected λ. */
  heldOut: DecileRow[];
}

/** One reviewer: `decisions` review-band pairs drawn with `seed`, decided by the truth. */
export function simulateReviewer(pairs: ReviewedPairs, options: { decisions: number; seed: number }) {
  const { probabilities, truth, inReview } = pairs;
  const queue = [...inReview.keys()].filter((pair) => inReview[pair]);
  const random = seededRandom(options.seed);
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [queue[i], queue[j]] = [queue[j]!, queue[i]!];
  }
  const decided = queue.slice(0, options.decisions);
  const shiftBits = priorShiftFromDecisions(
    decided.map((pair) => ({ logOdds: logOddsOf(probabilities[pair]!), match: truth[pair] === 1 })),
  );
  const isDecided = new Uint8Array(truth.length);
  decided.forEach((pair) => (isDecided[pair] = 1));
  const heldOut = [...truth.keys()].filter((pair) => !isDecided[pair]);
  // Shifting the log2 odds of λ shifts every pair's log2 odds by the same amount.
  const shifted = Float64Array.from(heldOut, (pair) => shiftPrior(probabilities[pair]!, shiftBits));
  const run: ReviewerRun = {
    decisions: decided.length,
    links: decided.filter((pair) => truth[pair]).length,
    shiftBits,
    heldOut: reliabilityDeciles(
      shifted,
      Uint8Array.from(heldOut, (pair) => truth[pair]!),
    ),
  };
  return run;
}

export const largestGap = (rows: DecileRow[]) =>
  Math.max(...rows.map((row) => Math.abs(row.meanScore - row.matchRate)));
