import type { BookingWithHistory } from './booking-record.ts';

const DAY = 86_400_000;

/** Lead time from booking to the appointment's day, in days: same day … more than 4 weeks. */
const leadBands: [string, number][] = [
  ['lead 0 (same day)', 0],
  ['lead 1', 1],
  ['lead 2-3', 3],
  ['lead 4-7', 7],
  ['lead 8-14', 14],
  ['lead 15-28', 28],
  ['lead 29+', Infinity],
];

export const ageBands: [string, number][] = [
  ['age 0-4', 4],
  ['age 5-12', 12],
  ['age 13-17', 17],
  ['age 18-29', 29],
  ['age 30-44', 44],
  ['age 45-64', 64],
  ['age 65+', Infinity],
];

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const bookingHours: [string, number][] = [
  ['booked before 10h', 10],
  ['booked 10-12h', 12],
  ['booked 12-15h', 15],
  ['booked 15h+', 24],
];

const bandOf = (bands: [string, number][], value: number) => bands.find(([, upTo]) => value <= upTo)![0];

export function ageBand(age: number): string {
  return bandOf(ageBands, age);
}

/** What the model knows per neighbourhood: its smoothed no-show rate in the training data (log-odds). */
export type NeighbourhoodRates = Map<string, number>;

/**
 * The named features of one booking, all known when it was booked: one-hot bands (the first
 * band of each group is the reference and left out, so weights read as "compared to same day",
 * "compared to age 0–4"), history counts, flags and the neighbourhood's rate.
 */
export function featuresOf(
  booking: BookingWithHistory,
  neighbourhoods: NeighbourhoodRates,
): Record<string, number> {
  const lead = Math.max(0, Math.floor(booking.startsAt / DAY) - Math.floor(booking.bookedAt / DAY));
  const features: Record<string, number> = {};
  const oneHot = (bands: [string, number][], name: string) => {
    if (name !== bands[0]![0]) features[name] = 1;
  };
  oneHot(leadBands, bandOf(leadBands, lead));
  oneHot(ageBands, ageBand(booking.age));
  const weekday = weekdays[(new Date(booking.startsAt).getUTCDay() + 6) % 7]!;
  if (weekday !== 'Mon') features[`weekday ${weekday}`] = 1;
  oneHot(bookingHours, bandOf(bookingHours, new Date(booking.bookedAt).getUTCHours()));
  if (booking.sex === 'M') features['sex M'] = 1;
  const priors = booking.priorNoShows + booking.priorVisits;
  features['new patient'] = priors === 0 ? 1 : 0;
  features['prior no-shows (log)'] = Math.log1p(booking.priorNoShows);
  features['prior visits (log)'] = Math.log1p(booking.priorVisits);
  features['prior no-show share'] = (booking.priorNoShows + 0.2) / (priors + 1);
  features['other bookings pending (log)'] = Math.log1p(booking.pendingBookings);
  features['other bookings that day'] = Math.min(booking.sameDayBookings, 3);
  features['lead days (log)'] = Math.log1p(lead);
  for (const [name, value] of Object.entries(booking.flags)) if (value) features[name] = value > 0 ? 1 : 0;
  features['neighbourhood rate (log-odds)'] = neighbourhoods.get(booking.neighbourhood ?? '') ?? 0;
  return features;
}

/**
 * The same knowledge as plain numbers for the boosted trees, which find their own bands and
 * interactions: lead days, age, booking weekday and hour (to the minute), the appointment's
 * weekday, the history counts, the latest known outcome and how long ago it was, the flags.
 */
export function treeFeaturesOf(
  booking: BookingWithHistory,
  neighbourhoods: NeighbourhoodRates,
): Record<string, number> {
  const booked = new Date(booking.bookedAt);
  const features: Record<string, number> = {
    'lead days': Math.max(0, Math.floor(booking.startsAt / DAY) - Math.floor(booking.bookedAt / DAY)),
    age: booking.age,
    'sex M': booking.sex === 'M' ? 1 : 0,
    'weekday (Mon 0)': (new Date(booking.startsAt).getUTCDay() + 6) % 7,
    'booked on weekday (Mon 0)': (booked.getUTCDay() + 6) % 7,
    'booked at hour': booked.getUTCHours() + booked.getUTCMinutes() / 60,
    'prior no-shows': booking.priorNoShows,
    'prior visits': booking.priorVisits,
    'other bookings pending': booking.pendingBookings,
    'other bookings that day': booking.sameDayBookings,
    'earlier bookings': booking.earlierBookings,
    'days since last outcome': booking.daysSinceLast,
    'last outcome a no-show': booking.lastWasNoShow,
    'neighbourhood rate (log-odds)': neighbourhoods.get(booking.neighbourhood ?? '') ?? 0,
  };
  for (const [name, value] of Object.entries(booking.flags)) features[name] = value;
  return features;
}

/**
 * Each neighbourhood's no-show rate in the training data, shrunk toward the overall rate
 * (m-estimate, m = 50) so a neighbourhood with few appointments says little; as log-odds
 * relative to the overall rate (0 for an unknown neighbourhood).
 */
export function neighbourhoodRates(training: BookingWithHistory[]): NeighbourhoodRates {
  const overall = training.filter((b) => b.noShow).length / Math.max(training.length, 1);
  const counts = new Map<string, [number, number]>();
  for (const booking of training) {
    const key = booking.neighbourhood ?? '';
    const [shows, total] = counts.get(key) ?? [0, 0];
    counts.set(key, [shows + (booking.noShow ? 1 : 0), total + 1]);
  }
  const logit = (p: number) => Math.log(p / (1 - p));
  const rates: NeighbourhoodRates = new Map();
  for (const [key, [noShows, total]] of counts)
    rates.set(key, logit((noShows + 50 * overall) / (total + 50)) - logit(overall));
  return rates;
}
