/**
 * Graded levels for two ISO birth dates (YYYY-MM-DD), most similar first: one keying error
 * (a digit wrong or two adjacent digits swapped), day and month transposed, within a month,
 * the same year. Partial dates (a year, a year and month) agree at the precision both have.
 */
import { withinEdits } from './string-distance.ts';

const DAY_MS = 86_400_000;

export function birthDateLevel(a: string, b: string): string | undefined {
  if (!a || !b) return undefined;
  if (a === b) return 'exact';
  if (a.length < 10 || b.length < 10) return partialLevel(a, b);
  if (withinEdits(a, b, 1)) return 'typo';
  if (`${a.slice(0, 4)}-${a.slice(8, 10)}-${a.slice(5, 7)}` === b) return 'day-month-swapped';
  const [dayA, dayB] = [dayNumber(a), dayNumber(b)];
  if (dayA !== undefined && dayB !== undefined && Math.abs(dayA - dayB) <= 31) return 'within-month';
  return a.slice(0, 4) === b.slice(0, 4) ? 'same-year' : 'different';
}

function partialLevel(a: string, b: string): string {
  const shared = Math.min(a.length, b.length);
  if (a.slice(0, shared) === b.slice(0, shared)) return shared >= 7 ? 'within-month' : 'same-year';
  return a.slice(0, 4) === b.slice(0, 4) ? 'same-year' : 'different';
}

/** Days since 1970 for a valid calendar date, undefined for an impossible one (1856-86-18). */
function dayNumber(date: string): number | undefined {
  const [year, month, day] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return undefined;
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}
