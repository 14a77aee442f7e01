/**
 * Named dates relative to now for definitions (`"sixMonthsAgo": "-P6M"` → `%sixMonthsAgo`).
 * Written here because Medplum's FHIRPath has no calendar arithmetic on dates
 * (`now() - 6 months` evaluates to empty).
 */
export interface RelativeDate {
  sign: 1 | -1;
  years: number;
  months: number;
  days: number;
}

const pattern = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

export function parseRelativeDate(duration: string): RelativeDate | undefined {
  const match = pattern.exec(duration);
  if (!match || duration.endsWith('P')) return undefined;
  const [, minus, years, months, weeks, days] = match;
  return {
    sign: minus ? -1 : 1,
    years: Number(years ?? 0),
    months: Number(months ?? 0),
    days: Number(days ?? 0) + 7 * Number(weeks ?? 0),
  };
}

/** The calendar date (UTC, `YYYY-MM-DD`) the duration points at from `now`. */
export function resolveRelativeDate(duration: string, now: Date): string {
  const parsed = parseRelativeDate(duration);
  if (!parsed) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  date.setUTCFullYear(date.getUTCFullYear() + parsed.sign * parsed.years);
  date.setUTCMonth(date.getUTCMonth() + parsed.sign * parsed.months);
  date.setUTCDate(date.getUTCDate() + parsed.sign * parsed.days);
  return date.toISOString().slice(0, 10);
}
