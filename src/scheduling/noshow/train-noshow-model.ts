import { withHistory, type BookingRecord, type BookingWithHistory } from './booking-record.ts';
import { featuresOf, neighbourhoodRates, type NeighbourhoodRates } from './features.ts';
import { fitLogistic, predict, type LogisticModel } from './logistic-regression.ts';

/** A trained no-show model: the logistic weights and the neighbourhood rates it learned. */
export interface NoShowModel {
  logistic: LogisticModel;
  neighbourhoods: NeighbourhoodRates;
}

/** Trains on bookings with known outcomes (their histories computed within the same list). */
export function trainNoShowModel(records: BookingRecord[]): NoShowModel {
  const training = withHistory(records).filter((each) => each.noShow !== undefined);
  const neighbourhoods = neighbourhoodRates(training);
  const rows = training.map((booking) => featuresOf(booking, neighbourhoods));
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))].sort();
  const logistic = fitLogistic({
    names,
    xs: rows.map((row) => names.map((name) => row[name] ?? 0)),
    ys: training.map((booking) => (booking.noShow ? 1 : 0)),
  });
  return { logistic, neighbourhoods };
}

/** The probability that the patient does not come, for a booking with its history. */
export function scoreBooking(model: NoShowModel, booking: BookingWithHistory): number {
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
