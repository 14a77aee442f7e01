import type { Location, Practitioner, PractitionerRole, Schedule } from '@medplum/fhirtypes';
import { RRULE_EXTENSION, SERVICE_TYPE_SYSTEM } from '../scheduling/index.ts';
import { emit, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import { concept } from './vocabulary/terminology.ts';

const weekdays: ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const dayMs = 86_400_000;
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/** One bookable clinician: their role (hours, leave) and their Schedule for a service. */
interface Bookable {
  practitioner: Stored<Practitioner>;
  service: [string, string];
  hours: NonNullable<PractitionerRole['availableTime']>;
  leave?: { description: string; fromDays: number; days: number };
}

/**
 * The clinic's opening hours and schedules, so `$find` has free times on a fresh start: GPs
 * weekdays 08:00–17:00 (clinic time zone; one of them also every other Saturday morning, by
 * RRULE), the nurse's immunisation clinic 08:00–16:00, one GP on leave for two days next week.
 * The appointments the generator books for people (20 minutes, on the hour and 20/40) sit in
 * these hours, so $find works around them.
 */
export function recordSchedules(ctx: ClinicContext): void {
  const location = ctx.directory.locations.gp;
  // The directory emitted the practice first; its opening hours belong with the schedules.
  location.hoursOfOperation = [
    { daysOfWeek: weekdays, openingTime: '08:00:00', closingTime: '18:00:00' },
    { daysOfWeek: ['sat'], openingTime: '09:00:00', closingTime: '12:00:00' },
  ];
  const [first, second, third] = ctx.directory.gps;
  const weekday = [{ daysOfWeek: weekdays, availableStartTime: '08:00:00', availableEndTime: '17:00:00' }];
  const gp: [string, string] = ['124', 'General Practice'];
  const bookables: Bookable[] = [
    { practitioner: first!, service: gp, hours: weekday },
    {
      practitioner: second!,
      service: gp,
      hours: weekday,
      leave: { description: 'Annual leave', fromDays: 8, days: 2 },
    },
    { practitioner: third!, service: gp, hours: [...weekday, everyOtherSaturday(ctx)] },
    {
      practitioner: ctx.directory.nurse,
      service: ['57', 'Immunization'],
      hours: [{ daysOfWeek: weekdays, availableStartTime: '08:00:00', availableEndTime: '16:00:00' }],
    },
  ];
  for (const bookable of bookables) recordSchedule(ctx, { bookable, location });
}

/** Saturday mornings every other week, from the first Saturday after the clinic's today. */
function everyOtherSaturday(ctx: ClinicContext): NonNullable<PractitionerRole['availableTime']>[number] {
  const now = ctx.now.getTime();
  const saturday = now + ((6 - ctx.now.getUTCDay() + 7) % 7) * dayMs;
  const dtstart = isoDay(saturday).replaceAll('-', '');
  return {
    extension: [
      { url: RRULE_EXTENSION, valueString: `DTSTART:${dtstart}\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA` },
    ],
    daysOfWeek: ['sat'],
    availableStartTime: '09:00:00',
    availableEndTime: '12:00:00',
  };
}

function recordSchedule(
  ctx: ClinicContext,
  { bookable, location }: { bookable: Bookable; location: Stored<Location> },
) {
  const now = ctx.now.getTime();
  const { leave } = bookable;
  const role = emit<PractitionerRole>(ctx, {
    resourceType: 'PractitionerRole',
    active: true,
    practitioner: ref(bookable.practitioner),
    organization: ref(ctx.directory.organizations.gp),
    location: [ref(location)],
    availableTime: bookable.hours,
    notAvailable: leave
      ? [
          {
            description: leave.description,
            during: {
              start: isoDay(now + leave.fromDays * dayMs),
              end: isoDay(now + (leave.fromDays + leave.days) * dayMs),
            },
          },
        ]
      : undefined,
  });
  const serviceType = [concept(SERVICE_TYPE_SYSTEM, ...bookable.service)];
  emit<Schedule>(ctx, {
    resourceType: 'Schedule',
    active: true,
    serviceType,
    actor: [ref(role), ref(bookable.practitioner), ref(location)],
    planningHorizon: { start: isoDay(now), end: isoDay(now + 90 * dayMs) },
  });
}
