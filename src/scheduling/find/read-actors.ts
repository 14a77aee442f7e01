import type { HealthcareService, Location, PractitionerRole, Resource, Schedule } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { resourcesOf } from './schedule-searches.ts';

/** The longest `_id` OR list the store takes (`searchLimits.maxValuesPerParameter`). */
const MOST_IDS = 100;

/** What decides a Schedule's hours and whose bookings block it. */
export interface Actors {
  role?: PractitionerRole;
  location?: Location;
  locationRef?: string;
  service?: HealthcareService;
  /** The practitioner (or, for a room, location) references whose Appointments block the schedule. */
  blockers: string[];
}

const refsOf = (schedule: Schedule, types: string[]) =>
  (schedule.actor ?? [])
    .map((actor) => actor.reference ?? '')
    .filter((reference) => types.includes(reference.split('/')[0] ?? ''));

/** Resources already at hand (a Schedule search's `_include`s), by reference. */
export type KnownResources = ReadonlyMap<string, Resource>;

/**
 * Reads the referenced resources of one type with `_id` searches (100 ids each) rather than one
 * read per reference: one query and one audit record for 40 PractitionerRoles instead of 40.
 * Those already known are not read again. A reference that finds nothing is NOT_FOUND, as a
 * read of it would be.
 */
async function readAll<T extends Resource>(
  repository: FhirRepository,
  request: { type: string; refs: string[]; known: KnownResources },
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (const ref of request.refs) if (request.known.has(ref)) found.set(ref, request.known.get(ref) as T);
  const missing = request.refs.filter((ref) => !found.has(ref));
  const ids = [...new Set(missing.map((ref) => ref.split('/')[1] ?? ''))].filter(Boolean);
  for (let at = 0; at < ids.length; at += MOST_IDS) {
    const chunk = ids.slice(at, at + MOST_IDS);
    const bundle = await repository.search({
      resourceType: request.type,
      params: [
        ['_id', chunk.join(',')],
        ['_count', String(chunk.length)],
      ],
    });
    for (const resource of resourcesOf<T>(bundle)) found.set(`${request.type}/${resource.id}`, resource);
  }
  for (const ref of request.refs)
    if (!found.has(ref)) throw new ThroughlineError('NOT_FOUND', `${ref} not found`);
  return found;
}

/**
 * The Schedules matching `params`, with their actors (`_include=Schedule:actor`) in
 * the same search: one query and one audit record where reading each would take several.
 */
export async function searchSchedules(
  repository: FhirRepository,
  params: [string, string][],
): Promise<{ schedules: (Schedule & { id: string })[]; known: KnownResources }> {
  const bundle = await repository.search({
    resourceType: 'Schedule',
    params: [...params, ['_include', 'Schedule:actor']],
  });
  const known = new Map<string, Resource>();
  for (const entry of bundle.entry ?? [])
    if (entry.search?.mode === 'include' && entry.resource?.id)
      known.set(`${entry.resource.resourceType}/${entry.resource.id}`, entry.resource);
  return { schedules: resourcesOf<Schedule & { id: string }>(bundle), known };
}

/**
 * The actors of many Schedules: their PractitionerRoles in one search, then their Locations
 * (named, else the role's first) and HealthcareServices in one search each.
 */
export async function readActors(
  repository: FhirRepository,
  request: { schedules: Schedule[]; known?: KnownResources },
): Promise<Actors[]> {
  const { schedules } = request;
  const known = request.known ?? new Map<string, Resource>();
  const roleRefs = schedules.map((schedule) => refsOf(schedule, ['PractitionerRole'])[0]);
  const roles = await readAll<PractitionerRole>(repository, {
    type: 'PractitionerRole',
    refs: roleRefs.filter((ref): ref is string => ref !== undefined),
    known,
  });
  const locationRefs = schedules.map(
    (schedule, index) =>
      refsOf(schedule, ['Location'])[0] ?? roles.get(roleRefs[index] ?? '')?.location?.[0]?.reference,
  );
  const serviceRefs = schedules.map((schedule) => refsOf(schedule, ['HealthcareService'])[0]);
  const defined = (refs: (string | undefined)[]) => refs.filter((ref): ref is string => ref !== undefined);
  const [locations, services] = await Promise.all([
    readAll<Location>(repository, { type: 'Location', refs: defined(locationRefs), known }),
    readAll<HealthcareService>(repository, { type: 'HealthcareService', refs: defined(serviceRefs), known }),
  ]);
  return schedules.map((schedule, index) => {
    const people = refsOf(schedule, ['Practitioner', 'PractitionerRole']);
    const locationRef = locationRefs[index];
    return {
      role: roles.get(roleRefs[index] ?? ''),
      location: locations.get(locationRef ?? ''),
      locationRef,
      service: services.get(serviceRefs[index] ?? ''),
      blockers: people.length ? people : locationRef ? [locationRef] : [],
    };
  });
}
