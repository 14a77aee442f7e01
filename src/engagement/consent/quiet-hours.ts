import type { Extension, Patient } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';

/** Local times (HH:MM) between which no non-urgent message goes out; the end may be the next day. */
export interface QuietHours {
  start: string;
  end: string;
}

/**
 * The earliest instant at or after `now` outside quiet hours in the patient's time zone:
 * `now` itself when it is not quiet. Quiet hours defer a message, never drop it. Luxon does the
 * zone arithmetic (daylight-saving days included).
 */
export function nextSendableAt(now: Date, options: { quietHours?: QuietHours; zone: string }): Date {
  const { quietHours, zone } = options;
  if (!quietHours) return now;
  // Quiet hours begin and end on a local minute and zone offsets are whole minutes, so every
  // instant of one minute gets the same answer: it is worked out once a minute per zone and
  // hours, not for each message (luxon's zone arithmetic was 2% of a dispatch's CPU).
  const minute = Math.floor(now.getTime() / 60_000);
  const key = `${zone}|${quietHours.start}|${quietHours.end}|${minute}`;
  let quietUntil = answers.get(key);
  if (quietUntil === undefined) {
    if (answers.size >= MAX_ANSWERS) answers.clear();
    quietUntil = quietEnd(new Date(minute * 60_000), { quietHours, zone });
    answers.set(key, quietUntil);
  }
  return quietUntil === null ? now : quietUntil;
}

/** Answers of the current minutes: when quiet hours end, or null when the minute is not quiet. */
const answers = new Map<string, Date | null>();
const MAX_ANSWERS = 1_000;

/** When the quiet hours around `at` end, or null when `at` is not quiet. */
function quietEnd(at: Date, { quietHours, zone }: { quietHours: QuietHours; zone: string }): Date | null {
  const local = DateTime.fromJSDate(at, { zone });
  const start = atTime(local, quietHours.start);
  const end = atTime(local, quietHours.end);
  if (start <= end) return local >= start && local < end ? end.toJSDate() : null;
  // Over midnight (21:00-08:00): quiet after the start today, or before the end today.
  if (local >= start) return end.plus({ days: 1 }).toJSDate();
  return local < end ? end.toJSDate() : null;
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The IANA zone of the patient: the address's `timezone` extension, else the clinic's. */
export function zoneOf(
  addresses: { extension?: { url?: string; valueCode?: string }[] }[] | undefined,
  clinicZone: string,
): string {
  const named = (addresses ?? [])
    .flatMap((address) => address.extension ?? [])
    .find((extension) => extension.url === TIMEZONE_EXTENSION)?.valueCode;
  return named && DateTime.local().setZone(named).isValid ? named : clinicZone;
}

export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';

/**
 * The patient's own quiet hours on her Patient record (a documented extension; the portal
 * writes it): `start` and `end` as FHIR `time` values, local to her zone. Absent: the clinic's
 * `QUIET_HOURS` apply.
 */
export const QUIET_HOURS_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/quiet-hours';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** Her quiet hours as the extension holds them (`HH:MM:SS`). */
export function quietHoursExtension(quietHours: QuietHours): Extension {
  const time = (hhmm: string) => `${hhmm.slice(0, 5)}:00`;
  return {
    url: QUIET_HOURS_EXTENSION,
    extension: [
      { url: 'start', valueTime: time(quietHours.start) },
      { url: 'end', valueTime: time(quietHours.end) },
    ],
  };
}

/** The quiet hours a record carries, when both times are well-formed and differ. */
export function quietHoursOnRecord(patient: Patient): QuietHours | undefined {
  const parts = patient.extension?.find((each) => each.url === QUIET_HOURS_EXTENSION)?.extension ?? [];
  const time = (url: string) => parts.find((each) => each.url === url)?.valueTime;
  const [start, end] = [time('start'), time('end')];
  if (!start || !end || !HHMM.test(start) || !HHMM.test(end) || start === end) return undefined;
  return { start: start.slice(0, 5), end: end.slice(0, 5) };
}

/**
 * The person's own quiet hours: from the golden record, else from the most recently updated of
 * her records that has them (identity does not carry extensions to the golden record, and the
 * portal writes to the record she signed in with).
 */
export function ownQuietHours(records: Patient[]): QuietHours | undefined {
  const latest = [...records].sort((a, b) =>
    (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''),
  );
  for (const record of [records[0], ...latest]) {
    const found = record && quietHoursOnRecord(record);
    if (found) return found;
  }
  return undefined;
}
