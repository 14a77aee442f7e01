/** Scores and outcomes (1 = no-show) of one evaluation. */
export interface Scored {
  risk: number;
  noShow: boolean;
}

/** ROC AUC as the Mann–Whitney statistic, ties counted half. */
export function rocAuc(scored: Scored[]): number {
  const sorted = [...scored].sort((a, b) => a.risk - b.risk);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.risk === sorted[i]!.risk) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (!sorted[k]!.noShow) continue;
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** PR AUC as average precision: the precision at each no-show, averaged. */
export function prAuc(scored: Scored[]): number {
  const sorted = [...scored].sort((a, b) => b.risk - a.risk);
  const positives = sorted.filter((each) => each.noShow).length;
  let hits = 0;
  let sum = 0;
  sorted.forEach((each, index) => {
    if (!each.noShow) return;
    hits++;
    sum += hits / (index + 1);
  });
  return sum / positives;
}

export function brier(scored: Scored[]): number {
  return scored.reduce((sum, each) => sum + (each.risk - (each.noShow ? 1 : 0)) ** 2, 0) / scored.length;
}

/** One row of a calibration table: predicted against observed no-show rate in a risk band. */
export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  predicted: number;
  observed: number;
}

/** Ten equal-width risk bands (empty ones left out). */
export function calibrationTable(scored: Scored[], bins = 10): CalibrationBin[] {
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = scored.filter(
      (each) => each.risk >= from && (each.risk < to || (b === bins - 1 && each.risk <= to)),
    );
    if (inBin.length === 0) continue;
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    table.push({
      from,
      to,
      count: inBin.length,
      predicted: mean(inBin.map((each) => each.risk)),
      observed: mean(inBin.map((each) => (each.noShow ? 1 : 0))),
    });
  }
  return table;
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed rates. */
export function expectedCalibrationError(scored: Scored[]): number {
  return calibrationTable(scored).reduce(
    (sum, bin) => sum + (bin.count / scored.length) * Math.abs(bin.predicted - bin.observed),
    0,
  );
}

/** The share of no-shows in the top-risk tenth, over the overall rate. */
export function topDecileLift(scored: Scored[]): number {
  const sorted = [...scored].sort((a, b) => b.risk - a.risk);
  const top = sorted.slice(0, Math.max(1, Math.round(sorted.length / 10)));
  const rate = (list: Scored[]) => list.filter((each) => each.noShow).length / list.length;
  return rate(top) / rate(sorted);
}

export interface EvaluationSummary {
  count: number;
  noShowRate: number;
  rocAuc: number;
  prAuc: number;
  brier: number;
  ece: number;
  topDecileLift: number;
}

export function summarize(scored: Scored[]): EvaluationSummary {
  return {
    count: scored.length,
    noShowRate: scored.filter((each) => each.noShow).length / scored.length,
    rocAuc: rocAuc(scored),
    prAuc: prAuc(scored),
    brier: brier(scored),
    ece: expectedCalibrationError(scored),
    topDecileLift: topDecileLift(scored),
  };
}
