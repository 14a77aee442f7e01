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
  const local = DateTime.fromJSDate(now, { zone });
  const start = atTime(local, quietHours.start);
  const end = atTime(local, quietHours.end);
  if (start <= end) return local >= start && local < end ? end.toJSDate() : now;
  // Over midnight (21:00-08:00): quiet after the start today, or before the end today.
  if (local >= start) return end.plus({ days: 1 }).toJSDate();
  return local < end ? end.toJSDate() : now;
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
