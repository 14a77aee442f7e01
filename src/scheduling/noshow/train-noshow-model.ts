import { withHistory, type BookingRecord, type BookingWithHistory } from './booking-record.ts';
import { featuresOf, neighbourhoodRates, treeFeaturesOf, type NeighbourhoodRates } from './features.ts';
import { fitBoosted, predictBoosted, type BoostOptions, type BoostedTrees } from './boosted-trees.ts';
import { fitLogistic, predict, type LogisticModel } from './logistic-regression.ts';

/**
 * A trained no-show model and the neighbourhood rates it learned: gradient-boosted trees
 * (the better ranking on a large history) or logistic regression (a few readable weights, and
 * steadier on a small history).
 */
export type NoShowModel = { neighbourhoods: NeighbourhoodRates } & (
  { kind: 'boosted'; trees: BoostedTrees } | { kind: 'logistic'; logistic: LogisticModel }
);

export type NoShowModelKind = NoShowModel['kind'];

/** Below this many known outcomes the trees would learn noise: `auto` fits the logistic model. */
export const FEWEST_FOR_TREES = 2000;

type Row = Record<string, number>;

function matrix(rows: Row[]): { names: string[]; xs: number[][] } {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))].sort();
  return { names, xs: rows.map((row) => names.map((name) => row[name] ?? 0)) };
}

/** Trains on bookings with known outcomes (their histories computed within the same list). */
export function trainNoShowModel(
  records: BookingRecord[],
  options: { kind?: NoShowModelKind | 'auto'; boost?: BoostOptions } = {},
): NoShowModel {
  const training = withHistory(records).filter((each) => each.noShow !== undefined);
  const neighbourhoods = neighbourhoodRates(training);
  const ys = training.map((booking) => (booking.noShow ? 1 : 0));
  const wanted = options.kind ?? 'auto';
  if (wanted === 'boosted' || (wanted === 'auto' && training.length >= FEWEST_FOR_TREES)) {
    const data = matrix(training.map((booking) => treeFeaturesOf(booking, neighbourhoods)));
    return { kind: 'boosted', neighbourhoods, trees: fitBoosted({ ...data, ys }, options.boost) };
  }
  const data = matrix(training.map((booking) => featuresOf(booking, neighbourhoods)));
  return { kind: 'logistic', neighbourhoods, logistic: fitLogistic({ ...data, ys }) };
}

/** The probability that the patient does not come, for a booking with its history. */
export function scoreBooking(model: NoShowModel, booking: BookingWithHistory): number {
  if (model.kind === 'boosted') {
    const features = treeFeaturesOf(booking, model.neighbourhoods);
    return predictBoosted(
      model.trees,
      model.trees.names.map((name) => features[name] ?? 0),
    );
  }
  const features = featuresOf(booking, model.neighbourhoods);
  return predict(
    model.logistic,
    model.logistic.names.map((name) => features[name] ?? 0),
  );
}

/** Scores every booking of a list, each with the history the list gives it (what was known then). */
export function scoreBookings(
  model: NoShowModel,
  records: BookingRecord[],
): { record: BookingWithHistory; risk: number }[] {
  return withHistory(records).map((record) => ({ record, risk: scoreBooking(model, record) }));
}
