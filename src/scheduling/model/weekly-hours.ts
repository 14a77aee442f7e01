import { DateTime } from 'luxon';
import rrulePackage from 'rrule';
import type { Interval } from './intervals.ts';
import { normalize } from './intervals.ts';

// rrule ships CommonJS: its named exports are reached through the default export under Node's ESM.
const { rrulestr } = rrulePackage;

/** FHIR `daysOfWeek` codes in ISO weekday order (luxon: Monday = 1). */
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/**
 * One recurring opening: `PractitionerRole.availableTime`, `HealthcareService.availableTime`
 * or `Location.hoursOfOperation`, read into one shape. `rrule` (an iCalendar RRULE with its
 * DTSTART) narrows the days further, for what a weekday list cannot say: every other Friday.
 */
export interface WeeklyHours {
  daysOfWeek: Weekday[];
  allDay?: boolean;
  /** Local wall-clock `HH:MM[:SS]`. */
  start?: string;
  end?: string;
  rrule?: string;
}

/** The range to expand over, and the IANA time zone the wall-clock times are in. */
export interface Expansion {
  range: Interval;
  zone: string;
}

/** The open intervals of a list of weekly hours within a range, in epoch ms (DST-correct via luxon). */
export function expandWeeklyHours(hours: WeeklyHours[], { range, zone }: Expansion): Interval[] {
  const out: Interval[] = [];
  let day = DateTime.fromMillis(range.start, { zone }).startOf('day');
  while (day.toMillis() < range.end) {
    for (const each of hours) {
      const open = openOn(each, day);
      if (open) out.push(open);
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return normalize(out).flatMap((each) => clip(each, range));
}

function openOn(hours: WeeklyHours, day: DateTime): Interval | undefined {
  if (!hours.daysOfWeek.includes(weekdays[day.weekday - 1]!)) return undefined;
  if (hours.rrule && !recursOn(hours.rrule, day)) return undefined;
  if (hours.allDay) return { start: day.toMillis(), end: day.plus({ days: 1 }).startOf('day').toMillis() };
  if (!hours.start || !hours.end) return undefined;
  return { start: atTime(day, hours.start), end: atTime(day, hours.end) };
}

/**
 * A wall-clock time on a day as an instant. A time the day skips (the spring-forward gap) is
 * read as the moment of the jump — luxon would read 02:15 as 03:15, and a clinic closing at
 * 02:15 would then stay open an hour it does not have. luxon reads a skipped `H:00` with the
 * old offset, which is exactly the jump (gaps start on the hour).
 */
function atTime(day: DateTime, time: string): number {
  const [hour = 0, minute = 0, second = 0] = time.split(':').map(Number);
  const at = day.set({ hour, minute, second, millisecond: 0 });
  if (at.hour === hour && at.minute === minute) return at.toMillis();
  return day.set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

function clip(interval: Interval, range: Interval): Interval[] {
  const start = Math.max(interval.start, range.start);
  const end = Math.min(interval.end, range.end);
  return end > start ? [{ start, end }] : [];
}

const parsedRules = new Map<string, ReturnType<typeof rrulestr>>();

/**
 * Whether an RRULE has an occurrence on this local day. rrule works in "floating" time (UTC
 * fields standing for wall-clock fields), so the local date is handed over as that UTC day.
 */
function recursOn(rule: string, day: DateTime): boolean {
  let parsed = parsedRules.get(rule);
  if (!parsed) parsedRules.set(rule, (parsed = rrulestr(rule)));
  const floating = new Date(Date.UTC(day.year, day.month - 1, day.day));
  const next = new Date(floating.getTime() + 86_400_000 - 1);
  return parsed.between(floating, next, true).length > 0;
}

/** Whether a string is an RRULE that rrule can read (checked when reading the FHIR resource). */
export function isValidRule(rule: string): boolean {
  try {
    rrulestr(rule);
    return true;
  } catch {
    return false;
  }
}
