import { DateTime } from 'luxon';

/** The cap, and the SMS the patient already got (instants they were sent). */
export interface FrequencyCheck {
  sentAt: Date[];
  perDay: number;
  perWeek: number;
  zone: string;
  now: Date;
}

/**
 * When the next non-urgent SMS may go: `now` when under the caps, else the start of the next
 * local day (per-day cap) or when the oldest SMS of the last seven days leaves the window
 * (per-week cap). Counted in the patient's time zone; a cap of 0 is no cap.
 */
export function nextWithinCap(check: FrequencyCheck): Date {
  const { sentAt, perDay, perWeek, zone, now } = check;
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.startOf('day');
  const weekAgo = local.minus({ days: 7 });
  const inWeek = sentAt.filter((at) => DateTime.fromJSDate(at) > weekAgo).sort((a, b) => +a - +b);
  const inDay = inWeek.filter((at) => DateTime.fromJSDate(at) >= today);
  let next = local;
  if (perDay > 0 && inDay.length >= perDay) next = today.plus({ days: 1 });
  if (perWeek > 0 && inWeek.length >= perWeek) {
    const frees = DateTime.fromJSDate(inWeek[inWeek.length - perWeek]!).plus({ days: 7 });
    if (frees > next) next = frees;
  }
  return next.toJSDate();
}
