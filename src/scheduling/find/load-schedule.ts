import type {
  Appointment,
  Bundle,
  HealthcareService,
  Location,
  PractitionerRole,
  Resource,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { MINUTE, type Interval } from '../model/intervals.ts';
import type { ScheduleTimes } from '../model/open-times.ts';
import { serviceRulesOf, type ServiceRules } from '../model/service-types.ts';
import {
  availableHours,
  locationHours,
  notAvailable,
  overbookingOf,
  periodInterval,
  zoneOf,
} from '../model/read-hours.ts';
import { HOLD_EXPIRES_EXTENSION, RELEASED_TAG } from '../model/booking-codes.ts';

/** Appointment statuses that hold their time. */
export const BLOCKING_STATUSES = ['pending', 'booked', 'arrived', 'checked-in', 'fulfilled'];
/** Appointments longer than this may start before a range and still reach into it. */
const LONGEST_APPOINTMENT = 24 * 60 * MINUTE;
/** A search page, and the longest OR list the store takes (`searchLimits` in the store). */
const PAGE = 1000;
const MOST_VALUES = 100;

/** One Schedule with everything that decides its free time in a range. */
export interface LoadedSchedule {
  schedule: Schedule & { id: string };
  service: ServiceRules;
  times: ScheduleTimes;
  /** The practitioner (or, for a room, location) references whose Appointments block this schedule. */
  people: string[];
  location?: string;
  overbooking: number;
}

export const resourcesOf = <T extends Resource>(bundle: Bundle): T[] =>
  (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode !== 'include')
    .map((entry) => entry.resource as T);

const refsOf = (schedule: Schedule, types: string[]) =>
  (schedule.actor ?? [])
    .map((actor) => actor.reference ?? '')
    .filter((reference) => types.includes(reference.split('/')[0] ?? ''));

/** Reads each referenced resource once per request: many schedules share a location. */
type Reader = <T extends Resource>(refs: string[]) => Promise<T | undefined>;

function memoReader(repository: FhirRepository): Reader {
  const cache = new Map<string, Promise<Resource>>();
  return <T extends Resource>(refs: string[]): Promise<T | undefined> => {
    const ref = refs[0] ?? '';
    const [type, id] = ref.split('/');
    if (!type || !id) return Promise.resolve(undefined);
    if (!cache.has(ref)) cache.set(ref, repository.read<T>(type, id));
    return cache.get(ref)! as Promise<T>;
  };
}

/** Reads a Schedule's actors, Slots and the Appointments of its people around a range. */
export async function loadSchedule(
  deps: SchedulingDeps,
  request: { schedule: Schedule & { id: string }; range: Interval },
): Promise<LoadedSchedule> {
  return (await loadSchedules(deps, { schedules: [request.schedule], range: request.range }))[0]!;
}

/**
 * Loads many Schedules for one range in a handful of queries: their actors read concurrently
 * (each resource once), then one Slot search for all of them and one Appointment search for
 * all their people (paged), split per schedule. At 40 schedules this is what keeps `$find`
 * from making 160 round trips.
 */
export async function loadSchedules(
  deps: SchedulingDeps,
  request: { schedules: (Schedule & { id: string })[]; range: Interval },
): Promise<LoadedSchedule[]> {
  const { schedules, range } = request;
  const read = memoReader(deps.repository);
  const actors = await Promise.all(schedules.map((schedule) => actorsOf(read, schedule)));
  const slots = await slotsOf(deps.repository, {
    schedules: schedules.map((s) => `Schedule/${s.id}`),
    range,
  });
  const blockers = [...new Set(actors.flatMap((each) => each.blockers))];
  const appointments = blockers.length
    ? await appointmentsOf(deps.repository, { actors: blockers, range })
    : [];
  return schedules.map((schedule, index) => {
    const own = actors[index]!;
    const mine = new Set(own.blockers);
    return assemble(deps, {
      schedule,
      actors: own,
      slots: slots.filter((slot) => slot.schedule.reference === `Schedule/${schedule.id}`),
      appointments: appointments.filter((appointment) =>
        appointment.participant.some((p) => mine.has(p.actor?.reference ?? '')),
      ),
    });
  });
}

interface Actors {
  role?: PractitionerRole;
  location?: Location;
  locationRef?: string;
  service?: HealthcareService;
  /** The practitioner (or, for a room, location) references whose Appointments block the schedule. */
  blockers: string[];
}

async function actorsOf(read: Reader, schedule: Schedule): Promise<Actors> {
  const role = await read<PractitionerRole>(refsOf(schedule, ['PractitionerRole']));
  const locationRefs = refsOf(schedule, ['Location']);
  if (locationRefs.length === 0 && role?.location?.[0]?.reference)
    locationRefs.push(role.location[0].reference);
  const [location, service] = await Promise.all([
    read<Location>(locationRefs),
    read<HealthcareService>(refsOf(schedule, ['HealthcareService'])),
  ]);
  const people = refsOf(schedule, ['Practitioner', 'PractitionerRole']);
  return {
    role,
    location,
    locationRef: locationRefs[0],
    service,
    blockers: people.length ? people : locationRefs,
  };
}

function assemble(
  deps: SchedulingDeps,
  parts: { schedule: Schedule & { id: string }; actors: Actors; slots: Slot[]; appointments: Appointment[] },
): LoadedSchedule {
  const { schedule, slots } = parts;
  const { role, location, service, blockers } = parts.actors;
  const rules = serviceRulesOf(schedule.serviceType);
  return {
    schedule,
    service: rules,
    people: blockers,
    location: parts.actors.locationRef,
    overbooking: overbookingOf(schedule),
    times: {
      zone: zoneOf(location, deps.timeZone),
      hours: [
        availableHours(role?.availableTime),
        locationHours(location),
        availableHours(service?.availableTime),
      ],
      notAvailable: [...notAvailable(role), ...notAvailable(service)],
      freeSlots: slots.filter(isOpening).map(slotInterval),
      busy: busyTimes(deps, { slots, appointments: parts.appointments, rules }),
      horizon: schedule.planningHorizon ? periodInterval(schedule.planningHorizon) : undefined,
    },
  };
}

/** A free Slot opens time of its own, unless it is a released booking (its time was template time). */
const isOpening = (slot: Slot) =>
  slot.status === 'free' &&
  !slot.meta?.tag?.some((tag) => tag.code === RELEASED_TAG.code && tag.system === RELEASED_TAG.system);

export const slotInterval = (slot: Slot): Interval => ({
  start: Date.parse(slot.start),
  end: Date.parse(slot.end),
});

/** Every result of a search, a page at a time, with an OR list of any length (split into lists the store accepts). */
async function searchAll<T extends Resource>(
  repository: FhirRepository,
  request: { resourceType: string; list: [string, string[]]; params: [string, string][] },
): Promise<T[]> {
  const [name, values] = request.list;
  const found: T[] = [];
  for (let at = 0; at < values.length; at += MOST_VALUES) {
    const chunk = values.slice(at, at + MOST_VALUES).join(',');
    for (let offset = 0; ; offset += PAGE) {
      const bundle = await repository.search({
        resourceType: request.resourceType,
        params: [[name, chunk], ...request.params, ['_count', String(PAGE)], ['_offset', String(offset)]],
      });
      const page = resourcesOf<T>(bundle);
      found.push(...page);
      if (page.length < PAGE) break;
    }
  }
  return found;
}

function slotsOf(
  repository: FhirRepository,
  request: { schedules: string[]; range: Interval },
): Promise<Slot[]> {
  return searchAll<Slot>(repository, {
    resourceType: 'Slot',
    list: ['schedule', request.schedules],
    params: [
      ['start', `ge${new Date(request.range.start - LONGEST_APPOINTMENT).toISOString()}`],
      ['start', `lt${new Date(request.range.end).toISOString()}`],
    ],
  });
}

/** Busy Slots (unexpired holds included) and blocking Appointments, each with the buffer after it. */
function busyTimes(
  deps: SchedulingDeps,
  request: { slots: Slot[]; appointments: Appointment[]; rules: ServiceRules },
): Interval[] {
  const now = deps.clock.now().getTime();
  const buffer = request.rules.bufferMinutes * MINUTE;
  const lapsed = (slot: Slot) => slot.status === 'busy-tentative' && holdExpired(slot, now);
  const slots = request.slots.filter((slot) => slot.status !== 'free' && !lapsed(slot));
  const lapsedRefs = new Set(request.slots.filter(lapsed).map((slot) => `Slot/${slot.id}`));
  const appointments = request.appointments.filter(
    (appointment) => !appointment.slot?.some((slot) => lapsedRefs.has(slot.reference ?? '')),
  );
  return [...slots.map(slotInterval), ...appointments.flatMap(appointmentInterval)].map((each) => ({
    start: each.start,
    end: each.end + buffer,
  }));
}

export function holdExpired(slot: Slot, now: number): boolean {
  const expires = slot.extension?.find((extension) => extension.url === HOLD_EXPIRES_EXTENSION)?.valueInstant;
  return expires !== undefined && Date.parse(expires) <= now;
}

export function appointmentInterval(appointment: Appointment): Interval[] {
  if (!appointment.start || !appointment.end) return [];
  return [{ start: Date.parse(appointment.start), end: Date.parse(appointment.end) }];
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
      ['date', `ge${new Date(request.range.start - LONGEST_APPOINTMENT).toISOString()}`],
      ['date', `lt${new Date(request.range.end).toISOString()}`],
      ['status', BLOCKING_STATUSES.join(',')],
    ],
  });
}
