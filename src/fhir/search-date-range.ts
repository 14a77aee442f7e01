/**
 * FHIR dates are ranges: `2020` means all of 2020, `2020-03-01T10:00` one minute (R4 3.1.1.5.1,
 * "implicit ranges"). Both indexed values and search values become an inclusive
 * [low, high] range in epoch milliseconds, so every prefix is a comparison of two ranges.
 */
export interface DateRange {
  low: number;
  high: number;
}

const pattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Parses a FHIR date, dateTime or instant; values without a zone are read as UTC. */
export function parseDateRange(value: string): DateRange | undefined {
  const match = pattern.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(year, month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), millis);
  const low = utc - zoneOffsetMs(zone);
  return { low, high: endOf(low, { year, month, mo, d, h, s, fraction }) };
}

/** The parts of a parsed date: `year` and `month` as numbers, the rest as written (absent when not given). */
interface DateParts {
  year: number;
  month: number;
  mo?: string;
  d?: string;
  h?: string;
  s?: string;
  fraction?: string;
}

/** The last millisecond of the implicit range that starts at `low`, set by the most precise part given. */
function endOf(low: number, parts: DateParts): number {
  if (parts.mo === undefined) return Date.UTC(parts.year + 1, 0, 1) - 1;
  if (parts.d === undefined) return Date.UTC(parts.year, parts.month, 1) - 1;
  if (parts.h === undefined) return low + 86_400_000 - 1;
  if (parts.s === undefined) return low + 60_000 - 1;
  if (parts.fraction === undefined) return low + 1_000 - 1;
  return low;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
