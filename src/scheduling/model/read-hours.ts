import type {
  Extension,
  HealthcareService,
  Location,
  Period,
  PractitionerRole,
  Schedule,
} from '@medplum/fhirtypes';
import type { WeeklyHours } from './weekly-hours.ts';
import type { Interval } from './intervals.ts';

/** An `availableTime` entry recurring by RRULE (valueString: `DTSTART:…\nRRULE:…`), e.g. every other Friday. */
export const RRULE_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/availability-rrule';
/** The IANA time zone of a Location (the R5 core extension, usable on R4). */
export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';
/** How many bookings beyond the first a Schedule accepts for one time (deliberate overbooking; absent = 0). */
export const OVERBOOKING_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/schedule-overbooking';

const valueOf = (extensions: Extension[] | undefined, url: string) =>
  extensions?.find((extension) => extension.url === url);

type AvailableTime = NonNullable<PractitionerRole['availableTime']>[number];

/** `PractitionerRole.availableTime` / `HealthcareService.availableTime` as weekly hours. */
export function availableHours(times: AvailableTime[] | undefined): WeeklyHours[] {
  return (times ?? []).map((time) => ({
    daysOfWeek: time.daysOfWeek ?? [],
    allDay: time.allDay,
    start: time.availableStartTime,
    end: time.availableEndTime,
    rrule: valueOf(time.extension, RRULE_EXTENSION)?.valueString,
  }));
}

/** `Location.hoursOfOperation` as weekly hours. */
export function locationHours(location: Location | undefined): WeeklyHours[] {
  return (location?.hoursOfOperation ?? []).map((time) => ({
    daysOfWeek: time.daysOfWeek ?? [],
    allDay: time.allDay,
    start: time.openingTime,
    end: time.closingTime,
  }));
}

/** `notAvailable[].during` (holidays, leave) as intervals; an entry without `during` says nothing about time. */
export function notAvailable(owner: PractitionerRole | HealthcareService | undefined): Interval[] {
  return (owner?.notAvailable ?? []).flatMap((each) => (each.during ? [periodInterval(each.during)] : []));
}

/** A Period as an interval; an open end runs to the far future, an open start from the far past. */
export function periodInterval(period: Period): Interval {
  return {
    start: period.start ? Date.parse(period.start) : 0,
    end: period.end ? Date.parse(period.end) : 8.64e15,
  };
}

export function zoneOf(location: Location | undefined, fallback: string): string {
  return valueOf(location?.extension, TIMEZONE_EXTENSION)?.valueCode ?? fallback;
}

export function overbookingOf(schedule: Schedule): number {
  return valueOf(schedule.extension, OVERBOOKING_EXTENSION)?.valueInteger ?? 0;
}
