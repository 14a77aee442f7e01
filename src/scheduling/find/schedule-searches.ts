import type { Appointment, Bundle, Resource, Slot } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { MINUTE, type Interval } from '../model/intervals.ts';

/** Appointment statuses that hold their time. */
export const BLOCKING_STATUSES = ['pending', 'booked', 'arrived', 'checked-in', 'fulfilled'];
/** Appointments longer than this may start before a range and still reach into it. */
const LONGEST_APPOINTMENT = 24 * 60 * MINUTE;
const DAY = 24 * 60 * MINUTE;
/** A search page, and the longest OR list the store takes (`searchLimits` in the store). */
const PAGE = 1000;
const MOST_VALUES = 100;

export const resourcesOf = <T extends Resource>(bundle: Bundle): T[] =>
  (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode !== 'include')
    .map((entry) => entry.resource as T);

/**
 * The UTC days (`2027-01-04`, …) from a day before the range (what may reach into it) to its
 * end, as one OR list: each day is a bounded range of the date index, so the search reads the
 * range's rows only. (`ge` and `lt` as two parameters read every row on one side of each bound
 * and leave the database to intersect them.) 92 days at most, so under the store's 100 values.
 */
export function daysAround(range: Interval): string {
  const days: string[] = [];
  const first = Math.floor((range.start - LONGEST_APPOINTMENT) / DAY) * DAY;
  for (let day = first; day < range.end; day += DAY) days.push(new Date(day).toISOString().slice(0, 10));
  return days.join(',');
}

/**
 * Every result of a search, a page at a time (`page` results each, the store's most by default),
 * with an OR list of any length (split into lists the store accepts).
 */
export async function searchAll<T extends Resource>(
  repository: FhirRepository,
  request: { resourceType: string; list: [string, string[]]; params: [string, string][]; page?: number },
): Promise<T[]> {
  const [name, values] = request.list;
  const size = request.page ?? PAGE;
  const found: T[] = [];
  for (let at = 0; at < values.length; at += MOST_VALUES) {
    const chunk = values.slice(at, at + MOST_VALUES).join(',');
    for (let offset = 0; ; offset += size) {
      const bundle = await repository.search({
        resourceType: request.resourceType,
        params: [[name, chunk], ...request.params, ['_count', String(size)], ['_offset', String(offset)]],
      });
      const page = resourcesOf<T>(bundle);
      found.push(...page);
      if (page.length < size) break;
    }
  }
  return found;
}

/** The Slots of these Schedules that start from a day before the range to its end. */
export function slotsOf(
  repository: FhirRepository,
  request: { schedules: string[]; range: Interval },
): Promise<Slot[]> {
  return searchAll<Slot>(repository, {
    resourceType: 'Slot',
    list: ['schedule', request.schedules],
    params: [['start', daysAround(request.range)]],
  });
}

/** Blocking Appointments of any of these actors (or of this patient) around a range. */
export function appointmentsOf(
  repository: FhirRepository,
  request: { actors: string[]; range: Interval; param?: 'actor' | 'patient' },
): Promise<Appointment[]> {
  return searchAll<Appointment>(repository, {
    resourceType: 'Appointment',
    list: [request.param ?? 'actor', request.actors],
    params: [
      ['date', daysAround(request.range)],
      ['status', BLOCKING_STATUSES.join(',')],
    ],
  });
}
