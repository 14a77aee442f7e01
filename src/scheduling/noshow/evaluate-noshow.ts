import { withHistory, type BookingRecord } from './booking-record.ts';
import { ageBand } from './features.ts';
import {
  summarize,
  calibrationTable,
  type CalibrationBin,
  type EvaluationSummary,
  type Scored,
} from './metrics.ts';
import {
  scoreBooking,
  trainNoShowModel,
  type NoShowModel,
  type NoShowModelKind,
} from './train-noshow-model.ts';
import type { BoostOptions } from './boosted-trees.ts';

/** Which model to fit (`auto`: trees on a large history, else logistic regression). */
export type ModelChoice = { kind?: NoShowModelKind | 'auto'; boost?: BoostOptions };

/** One evaluation: the metrics overall and by group, the calibration table, each test row's risk. */
export interface NoShowEvaluation {
  summary: EvaluationSummary;
  calibration: CalibrationBin[];
  byAgeBand: Record<string, EvaluationSummary>;
  bySex: Record<string, EvaluationSummary>;
  scores: { appointmentId: string; risk: number }[];
  model: NoShowModel;
}

/**
 * Trains on `train` and scores `test`. Each test row's history is what was known when it was
 * booked: the person's earlier appointments in `history` (train and test together when the
 * split is by time; the test rows alone when people are split).
 */
export function evaluateNoShow(
  request: {
    train: BookingRecord[];
    test: BookingRecord[];
    history?: BookingRecord[];
  } & ModelChoice,
): NoShowEvaluation {
  const model = trainNoShowModel(request.train, request);
  const wanted = new Set(request.test);
  const scoredRows = withHistory(request.history ?? request.test)
    .filter((record, index) => wanted.has((request.history ?? request.test)[index]!))
    .map((record) => ({ record, risk: scoreBooking(model, record) }));
  const labelled = scoredRows.filter(({ record }) => record.noShow !== undefined);
  const scored = (rows: typeof labelled): Scored[] =>
    rows.map(({ record, risk }) => ({ risk, noShow: record.noShow! }));
  const groupBy = (key: (row: (typeof labelled)[number]) => string) => {
    const groups = new Map<string, typeof labelled>();
    for (const row of labelled) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
    return Object.fromEntries(
      [...groups]
        .filter(([, rows]) => rows.some((r) => r.record.noShow) && rows.some((r) => !r.record.noShow))
        .map(([name, rows]) => [name, summarize(scored(rows))]),
    );
  };
  return {
    summary: summarize(scored(labelled)),
    calibration: calibrationTable(scored(labelled)),
    byAgeBand: groupBy(({ record }) => ageBand(record.age)),
    bySex: groupBy(({ record }) => record.sex),
    scores: scoredRows.map(({ record, risk }) => ({ appointmentId: record.appointmentId, risk })),
    model,
  };
}

/** A stable fold per person (FNV-1a of the id), so all of a person's appointments stay on one side. */
export function foldOf(personId: string, folds: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) hash = Math.imul(hash ^ personId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % folds;
}

/** Patient-grouped k-fold cross-validation: every row scored once by a model that never saw its person. */
export function crossValidateNoShow(
  records: BookingRecord[],
  options: ModelChoice & { folds?: number } = {},
): { pooled: Scored[]; perFold: EvaluationSummary[] } {
  const folds = options.folds ?? 5;
  const pooled: Scored[] = [];
  const perFold: EvaluationSummary[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const test = records.filter((record) => foldOf(record.personId, folds) === fold);
    const train = records.filter((record) => foldOf(record.personId, folds) !== fold);
    const evaluation = evaluateNoShow({ ...options, train, test });
    const outcome = new Map(test.map((record) => [record.appointmentId, record.noShow]));
    const scored = evaluation.scores.map(({ appointmentId, risk }) => ({
      risk,
      noShow: outcome.get(appointmentId)!,
    }));
    pooled.push(...scored);
    perFold.push(evaluation.summary);
  }
  return { pooled, perFold };
}

/** A strict time split: train on appointments before the cutoff day, score those from it on. */
export function timeSplitNoShow(
  records: BookingRecord[],
  options: ModelChoice & { trainShare?: number } = {},
): NoShowEvaluation & { cutoff: string } {
  const trainShare = options.trainShare ?? 0.7;
  const days = records.map((record) => record.startsAt).sort((a, b) => a - b);
  const cutoff = days[Math.floor(days.length * trainShare)]!;
  const train = records.filter((record) => record.startsAt < cutoff);
  const test = records.filter((record) => record.startsAt >= cutoff);
  return {
    ...evaluateNoShow({ ...options, train, test, history: records }),
    cutoff: new Date(cutoff).toISOString().slice(0, 10),
  };
}
