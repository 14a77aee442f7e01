/**
 * λ corrected by staff decisions. The unlabelled score model (`score-model.ts`) is only as good
 * as its independence assumptions, and no unlabelled estimate can tell where they fail. Decided
 * pairs can: a pair scored 0.3 that staff link seven times in ten says the odds are too low at
 * that evidence. The correction is one number — a shift of the log2 prior odds, fitted to the
 * decisions by logistic regression with the slope held at 1 (the weights' ranking is kept;
 * only their offset is learnt) — so a few hundred decisions fix it well, and a normal prior on
 * the shift (`SHIFT_PRIOR_BITS`) keeps the unlabelled λ unless the decisions surprise the model.
 */

/** A decided pair: its log2 odds under the model (evidence plus log2 prior odds), and the decision. */
export interface DecidedOdds {
  logOdds: number;
  match: boolean;
}

/**
 * Standard deviation (bits) of the prior on the shift: the unlabelled λ is trusted to within a
 * factor of four (2 bits) before any decision is seen. Chosen by that argument, not fitted.
 */
export const SHIFT_PRIOR_BITS = 2;

/**
 * The shift (bits) to add to the log2 prior odds: the maximum a posteriori estimate under a
 * normal prior N(0, `priorBits`²), by Newton's method (the log posterior is concave).
 * 0 without decisions.
 */
export function priorShiftFromDecisions(
  decided: readonly DecidedOdds[],
  priorBits = SHIFT_PRIOR_BITS,
): number {
  const ln2 = Math.LN2;
  let shift = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let gradient = -shift / priorBits ** 2;
    let curvature = 1 / priorBits ** 2;
    for (const { logOdds, match } of decided) {
      const p = 1 / (1 + 2 ** -(logOdds + shift));
      gradient += ln2 * ((match ? 1 : 0) - p);
      curvature += ln2 * ln2 * p * (1 - p);
    }
    const step = gradient / curvature;
    shift += step;
    if (Math.abs(step) < 1e-9) break;
  }
  return shift;
}

/** λ whose log2 odds are those of `prior` plus `shiftBits`. */
export function shiftPrior(prior: number, shiftBits: number): number {
  const odds = (prior / (1 - prior)) * 2 ** shiftBits;
  return Number.isFinite(odds) ? odds / (1 + odds) : 1;
}

/** log2 odds of a probability, finite: 0 and 1 map to ∓60 bits. */
export function logOddsOf(probability: number): number {
  const bits = Math.log2(probability / (1 - probability));
  return Number.isFinite(bits) ? Math.max(-60, Math.min(60, bits)) : probability > 0.5 ? 60 : -60;
}
