import { readFileSync, writeFileSync } from 'node:fs';
import {
  calibrationLines,
  crossValidateNoShow,
  evaluateNoShow,
  groupLines,
  readNoShowCsv,
  summarize,
  summaryLines,
  timeSplitNoShow,
  weightLines,
  type NoShowEvaluation,
} from '../scheduling/index.ts';

const usage = `usage:
  throughline noshow evaluate --train A.csv --test B.csv [--out scores.csv] [--model M]
  throughline noshow evaluate --data appointments.csv [--folds 5] [--model M]

Trains the no-show model on what is known at booking (--model boosted: gradient-boosted
trees; logistic: logistic regression; auto, the default: trees from 2,000 known outcomes on,
as the platform does) on one file and scores the other, printing ROC AUC, PR AUC, Brier score, expected calibration error, the
calibration table, metrics by age band and sex, and the features that carry the model; --out
writes AppointmentID,risk for every test row. With --data: patient-grouped cross-validation
and a strict time split of one file. Files use the columns of the public no-show data set.
The model trained here is printed, never saved: that data's licence allows evaluation only.`;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

const read = (file: string) => readNoShowCsv(readFileSync(file, 'utf8'), file);

function printEvaluation(title: string, evaluation: NoShowEvaluation): void {
  const lines = [
    ...summaryLines(title, evaluation.summary),
    ...calibrationLines(evaluation.calibration),
    ...groupLines('age band', evaluation.byAgeBand),
    ...groupLines('sex', evaluation.bySex),
    ...weightLines(evaluation.model),
  ];
  console.log(lines.join('\n'));
}

const kinds = ['auto', 'boosted', 'logistic'] as const;
type Kind = (typeof kinds)[number];

function trainAndTest(args: string[], kind: Kind): number {
  const evaluation = evaluateNoShow({
    train: read(option(args, '--train')!),
    test: read(option(args, '--test')!),
    kind,
  });
  printEvaluation('test file', evaluation);
  const out = option(args, '--out');
  if (out) {
    const rows = evaluation.scores.map(({ appointmentId, risk }) => `${appointmentId},${risk.toFixed(6)}`);
    writeFileSync(out, ['AppointmentID,risk', ...rows].join('\n') + '\n');
    console.log(`wrote ${rows.length} scores to ${out}`);
  }
  return 0;
}

function crossValidate(args: string[], kind: Kind): number {
  const records = read(option(args, '--data')!);
  const folds = Number(option(args, '--folds') ?? 5);
  const { pooled, perFold } = crossValidateNoShow(records, { folds, kind });
  console.log(
    summaryLines(`patient-grouped ${folds}-fold cross-validation (pooled)`, summarize(pooled)).join('\n'),
  );
  console.log(`  per fold ROC AUC: ${perFold.map((fold) => fold.rocAuc.toFixed(3)).join(' ')}`);
  const split = timeSplitNoShow(records, { kind });
  printEvaluation(`strict time split (train before ${split.cutoff}, test from it)`, split);
  return 0;
}

/** `throughline noshow evaluate`: the thin edge over scheduling's no-show evaluation. */
export async function noshowCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const kind = (option(rest, '--model') ?? 'auto') as Kind;
  if (subcommand === 'evaluate' && kinds.includes(kind)) {
    if (option(rest, '--train') && option(rest, '--test')) return trainAndTest(rest, kind);
    if (option(rest, '--data')) return crossValidate(rest, kind);
  }
  console.error(usage);
  return subcommand === '--help' ? 0 : 2;
}
