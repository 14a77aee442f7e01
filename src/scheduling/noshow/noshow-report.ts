import type { CalibrationBin, EvaluationSummary } from './metrics.ts';
import type { NoShowModel } from './train-noshow-model.ts';
import { featureImportance } from './boosted-trees.ts';

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The headline metrics of one evaluation, one per line. */
export function summaryLines(title: string, summary: EvaluationSummary): string[] {
  return [
    `${title}: ${summary.count} appointments, no-show rate ${pct(summary.noShowRate)}`,
    `  ROC AUC ${summary.rocAuc.toFixed(3)}   PR AUC ${summary.prAuc.toFixed(3)}   Brier ${summary.brier.toFixed(4)}   ECE ${summary.ece.toFixed(4)}   top-decile lift ${summary.topDecileLift.toFixed(2)}`,
  ];
}

export function calibrationLines(table: CalibrationBin[]): string[] {
  return [
    '  calibration   risk band    count   predicted   observed',
    ...table.map(
      (bin) =>
        `               ${bin.from.toFixed(1)}–${bin.to.toFixed(1)}   ${String(bin.count).padStart(6)}   ${pct(bin.predicted).padStart(9)}   ${pct(bin.observed).padStart(8)}`,
    ),
  ];
}

/** Metrics per group (age band, sex), so errors that fall unfairly on one group show. */
export function groupLines(title: string, groups: Record<string, EvaluationSummary>): string[] {
  return [
    `  by ${title}:`,
    ...Object.entries(groups)
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(
        ([name, summary]) =>
          `    ${name.padEnd(12)} n=${String(summary.count).padStart(6)}  rate ${pct(summary.noShowRate).padStart(6)}  AUC ${summary.rocAuc.toFixed(3)}  ECE ${summary.ece.toFixed(3)}  Brier ${summary.brier.toFixed(4)}`,
      ),
  ];
}

/** What carries the model: the largest logistic weights, or each feature's share of the trees' split gain. */
export function weightLines(model: NoShowModel, top = 12): string[] {
  if (model.kind === 'boosted')
    return [
      "  features that carry it (share of the trees' total split gain):",
      ...featureImportance(model.trees)
        .slice(0, top)
        .map(({ name, share }) => `    ${pct(share).padStart(6)}  ${name}`),
    ];
  const { names, weights } = model.logistic;
  return [
    '  features that carry it (log-odds per unit; bands compared to same-day, age 0–4, Monday, booked before 10h):',
    ...names
      .map((name, index) => ({ name, weight: weights[index]! }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
      .slice(0, top)
      .map(({ name, weight }) => `    ${(weight >= 0 ? '+' : '') + weight.toFixed(3)}  ${name}`),
  ];
}
