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

async function readFirst<T extends Resource>(
  repository: FhirRepository,
  refs: string[],
): Promise<T | undefined> {
  const [type, id] = (refs[0] ?? '').split('/');
  return type && id ? repository.read<T>(type, id) : undefined;
}

/** Reads a Schedule's actors, Slots and the Appointments of its people around a range. */
export async function loadSchedule(
  deps: SchedulingDeps,
  request: { schedule: Schedule & { id: string }; range: Interval },
): Promise<LoadedSchedule> {
  const { schedule, range } = request;
  const { repository } = deps;
  const role = await readFirst<PractitionerRole>(repository, refsOf(schedule, ['PractitionerRole']));
  const locationRefs = refsOf(schedule, ['Location']);
  if (locationRefs.length === 0 && role?.location?.[0]?.reference)
    locationRefs.push(role.location[0].reference);
  const location = await readFirst<Location>(repository, locationRefs);
  const service = await readFirst<HealthcareService>(repository, refsOf(schedule, ['HealthcareService']));
  const people = refsOf(schedule, ['Practitioner', 'PractitionerRole']);
  const rules = serviceRulesOf(schedule.serviceType);
  const slots = await slotsOf(repository, { schedule, range });
  const blockers = people.length ? people : locationRefs;
  const busy = await busyTimes(deps, { slots, people: blockers, range, rules });
  return {
    schedule,
    service: rules,
    people: blockers,
    location: locationRefs[0],
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
      busy,
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

async function slotsOf(
  repository: FhirRepository,
  request: { schedule: Schedule & { id: string }; range: Interval },
): Promise<Slot[]> {
  const bundle = await repository.search({
    resourceType: 'Slot',
    params: [
      ['schedule', `Schedule/${request.schedule.id}`],
      ['start', `ge${new Date(request.range.start - LONGEST_APPOINTMENT).toISOString()}`],
      ['start', `lt${new Date(request.range.end).toISOString()}`],
      ['_count', '1000'],
    ],
  });
  return resourcesOf<Slot>(bundle);
}

interface BusyRequest {
  slots: Slot[];
  people: string[];
  range: Interval;
  rules: ServiceRules;
}

/** Busy Slots (unexpired holds included) and blocking Appointments, each with the buffer after it. */
async function busyTimes(deps: SchedulingDeps, request: BusyRequest): Promise<Interval[]> {
  const now = deps.clock.now().getTime();
  const buffer = request.rules.bufferMinutes * MINUTE;
  const lapsed = (slot: Slot) => slot.status === 'busy-tentative' && holdExpired(slot, now);
  const slots = request.slots.filter((slot) => slot.status !== 'free' && !lapsed(slot));
  const lapsedRefs = new Set(request.slots.filter(lapsed).map((slot) => `Slot/${slot.id}`));
  const appointments = (
    request.people.length
      ? await appointmentsOf(deps.repository, { actors: request.people, range: request.range })
      : []
  ).filter((appointment) => !appointment.slot?.some((slot) => lapsedRefs.has(slot.reference ?? '')));
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
export async function appointmentsOf(
  repository: FhirRepository,
  request: { actors: string[]; range: Interval; param?: 'actor' | 'patient' },
): Promise<Appointment[]> {
  const bundle = await repository.search({
    resourceType: 'Appointment',
    params: [
      [request.param ?? 'actor', request.actors.join(',')],
      ['date', `ge${new Date(request.range.start - LONGEST_APPOINTMENT).toISOString()}`],
      ['date', `lt${new Date(request.range.end).toISOString()}`],
      ['status', BLOCKING_STATUSES.join(',')],
      ['_count', '1000'],
    ],
  });
  return resourcesOf<Appointment>(bundle);
}
