import { DateTime } from 'luxon';
import rrulePackage from 'rrule';

// rrule ships CommonJS: its named exports are reached through the default export under Node's ESM.
const { rrulestr, RRule } = rrulePackage;
type Recurrence = ReturnType<typeof rrulestr>;

/**
 * Where a schedule without DTSTART counts from (RFC 5545 needs one; rrule would take "now",
 * which moves): a Monday at local midnight, so `INTERVAL=2` weeks keeps one alignment. Recent,
 * because rrule walks every occurrence from DTSTART to the one asked for.
 */
const DEFAULT_DTSTART = 'DTSTART:20260105T000000';

/** Schedules finer than hourly are refused: the rules run from a tick, not a timer per second. */
const FINEST = RRule.HOURLY;

const parsed = new Map<string, Recurrence>();

/**
 * The recurrence an RRULE says, read in "floating" time: its DTSTART, BYHOUR and BYMINUTE are
 * wall-clock fields of the clinic's zone (rrule's own TZID support converts through the host's
 * zone, so it is refused, and so is a UTC `Z` DTSTART).
 */
function recurrenceOf(text: string): Recurrence {
  let recurrence = parsed.get(text);
  if (!recurrence) {
    const withStart = /DTSTART/i.test(text) ? text : `${DEFAULT_DTSTART}\n${text}`;
    recurrence = rrulestr(withStart) as Recurrence;
    parsed.set(text, recurrence);
  }
  return recurrence;
}

/** Why an RRULE cannot be a rule's schedule, or undefined when it can. */
export function scheduleProblem(text: string): string | undefined {
  if (/TZID/i.test(text)) return 'TZID is not used: times are in the clinic time zone (CLINIC_TIME_ZONE)';
  if (/DTSTART[^:\n]*:\d{8}T\d{6}Z/i.test(text)) return 'DTSTART is a local time: no Z';
  try {
    const recurrence = recurrenceOf(text.trim());
    if (recurrence.options.freq > FINEST) return 'a schedule repeats at most hourly (FREQ=HOURLY)';
    return undefined;
  } catch (error) {
    return `not an RRULE: ${(error as Error).message}`;
  }
}

/** The wall-clock fields of an instant in the zone, as the UTC fields of a "floating" Date. */
function floatingOf(instant: Date, zone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/**
 * A floating occurrence as an instant in the zone. A time the day skips (spring forward) is
 * the moment of the jump, as cron does it: luxon reads a skipped `H:00` with the old offset,
 * which is the jump (gaps start on the hour). A time the day has twice (fall back) is the one
 * luxon picks; either way one instant, so it fires once.
 */
function instantOf(floating: Date, zone: string): Date {
  const fields = {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
  };
  const at = DateTime.fromObject(fields, { zone });
  if (at.hour === fields.hour && at.minute === fields.minute) return at.toJSDate();
  return DateTime.fromObject({ ...fields, minute: 0, second: 0 }, { zone }).toJSDate();
}

/** Where the schedule is read: its RRULE and the clinic's IANA time zone. */
export interface ScheduleIn {
  rrule: string;
  zone: string;
}

/** The latest occurrence at or before `at` (the one a tick at `at` owes), or undefined. */
export function latestOccurrence(schedule: ScheduleIn, at: Date): Date | undefined {
  const recurrence = recurrenceOf(schedule.rrule.trim());
  let floating = recurrence.before(floatingOf(at, schedule.zone), true);
  // A floating time maps to an instant after `at` only around a DST change: try the one before.
  for (let tries = 0; floating && tries < 4; tries++) {
    const instant = instantOf(floating, schedule.zone);
    if (instant.getTime() <= at.getTime()) return instant;
    floating = recurrence.before(floating, false);
  }
  return undefined;
}

/** The next `count` occurrences after `after`, in order, each once (the dry run's "next"). */
export function nextOccurrences(schedule: ScheduleIn, query: { after: Date; count: number }): Date[] {
  const recurrence = recurrenceOf(schedule.rrule.trim());
  const out: Date[] = [];
  let floating = recurrence.after(floatingOf(query.after, schedule.zone), false);
  for (let guard = 0; floating && out.length < query.count && guard < query.count * 2; guard++) {
    const instant = instantOf(floating, schedule.zone);
    const last = out.at(-1) ?? query.after;
    if (instant.getTime() > last.getTime()) out.push(instant);
    floating = recurrence.after(floating, false);
  }
  return out;
}

/** An occurrence as the clinic reads it (`2026-03-30 08:00 Europe/Berlin`), for run logs. */
export function localTime(instant: Date, zone: string): string {
  return `${DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`;
}
