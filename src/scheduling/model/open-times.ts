import { expandWeeklyHours, type WeeklyHours } from './weekly-hours.ts';
import { intersect, MINUTE, normalize, overlaps, subtract, union, type Interval } from './intervals.ts';
import { alignUp } from './claim-keys.ts';
import type { ServiceRules } from './service-types.ts';

/**
 * Everything that decides one Schedule's free time, already read from FHIR: the hours of each
 * actor (practitioner role, location, service — each list must allow a time; an actor with no
 * hours does not restrict), holidays (`notAvailable`), explicit Slots, and bookings.
 */
export interface ScheduleTimes {
  zone: string;
  /** Weekly hours per actor; the first is the practitioner's and is required for template time. */
  hours: WeeklyHours[][];
  notAvailable: Interval[];
  /** Slots with status `free`: open even outside the template (an extra clinic, a holiday shift). */
  freeSlots: Interval[];
  /** Busy Slots and booked Appointments of the schedule's actors, each with its buffer added at the end. */
  busy: Interval[];
  /** `Schedule.planningHorizon`: nothing is offered outside it. */
  horizon?: Interval;
}

/** The open time of a schedule within a range: (template − holidays) ∪ free Slots − busy, inside the horizon. */
export function openTimes(times: ScheduleTimes, range: Interval): Interval[] {
  const limit = times.horizon ? intersect([range], [times.horizon]) : [range];
  const [practitioner = [], ...others] = times.hours;
  let template = expandWeeklyHours(practitioner, { range, zone: times.zone });
  for (const hours of others)
    if (hours.length > 0)
      template = intersect(template, expandWeeklyHours(hours, { range, zone: times.zone }));
  const open = union(subtract(template, times.notAvailable), times.freeSlots);
  return intersect(subtract(open, times.busy), limit);
}

/** What the proposals must respect beyond the schedule: the service, "now", and the patient's own bookings. */
export interface ProposalRules {
  service: ServiceRules;
  now: number;
  /** The patient's other appointments: never offered a time that overlaps one. */
  patientBusy: Interval[];
  /** The schedule's busy time, buffers included: a proposal's own buffer may not run into it. */
  busy: Interval[];
}

/**
 * Back-to-back appointment times in each open interval, from its first block boundary: the
 * service's length plus buffer apart, never sooner than the minimum notice.
 */
export function proposeTimes(open: Interval[], rules: ProposalRules): Interval[] {
  const length = rules.service.minutes * MINUTE;
  const step = length + rules.service.bufferMinutes * MINUTE;
  const earliest = rules.now + rules.service.minimumNoticeMinutes * MINUTE;
  const blocked = normalize([...rules.busy, ...rules.patientBusy]);
  const out: Interval[] = [];
  for (const interval of open) {
    for (let start = alignUp(interval.start); start + length <= interval.end; start += step) {
      if (start < earliest) continue;
      const time = { start, end: start + length };
      const withBuffer = { start, end: start + step };
      if (blocked.some((busy) => overlaps(withBuffer, busy))) continue;
      out.push(time);
    }
  }
  return out;
}
