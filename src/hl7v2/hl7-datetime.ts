import { Hl7Error, Hl7ErrorCodes, type Hl7Location } from './hl7-error.ts';

const dtm = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(?:(\d{2})(?:\.(\d{1,4}))?)?)?([+-]\d{4})?$/;

/**
 * HL7 DT/DTM/TS (YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]) to a FHIR date or dateTime, keeping
 * the sender's precision. A date that does not exist (20260231) or a malformed one is a
 * data-type error with its location, never a silently wrong date.
 */
export function hl7ToFhirDateTime(value: string, location?: Hl7Location): string {
  const match = dtm.exec(value.trim());
  if (!match)
    throw new Hl7Error(Hl7ErrorCodes.DATA_TYPE_ERROR, `"${value}" is not an HL7 date/time`, {
      location,
      severity: 'error',
    });
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (month && (Number(month) < 1 || Number(month) > 12)) throw invalid(value, location);
  if (day && (Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month))))
    throw invalid(value, location);
  if ((hour && Number(hour) > 23) || (minute && Number(minute) > 59) || (second && Number(second) > 59))
    throw invalid(value, location);
  let result = [year, month, day].filter(Boolean).join('-');
  if (!hour) return result;
  result += `T${hour}:${minute ?? '00'}:${second ?? '00'}${fraction ? `.${fraction}` : ''}`;
  // FHIR dateTime with a time needs a zone; HL7 without one means the sender's local time,
  // which we cannot know — UTC is the documented assumption.
  return result + (zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : 'Z');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function invalid(value: string, location?: Hl7Location): Hl7Error {
  return new Hl7Error(Hl7ErrorCodes.DATA_TYPE_ERROR, `"${value}" is not a valid date/time`, {
    location,
    severity: 'error',
  });
}
