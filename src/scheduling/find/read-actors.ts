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

/**
 * Reads the referenced resources of one type with `_id` searches (100 ids each) rather than one
 * read per reference: one query and one audit record for 40 PractitionerRoles instead of 40.
 * A reference that finds nothing is NOT_FOUND, as a read of it would be.
 */
async function readAll<T extends Resource>(
  repository: FhirRepository,
  request: { type: string; refs: string[] },
): Promise<Map<string, T>> {
  const ids = [...new Set(request.refs.map((ref) => ref.split('/')[1] ?? ''))].filter(Boolean);
  const found = new Map<string, T>();
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
 * The actors of many Schedules: their PractitionerRoles in one search, then their Locations
 * (named, else the role's first) and HealthcareServices in one search each.
 */
export async function readActors(repository: FhirRepository, schedules: Schedule[]): Promise<Actors[]> {
  const roleRefs = schedules.map((schedule) => refsOf(schedule, ['PractitionerRole'])[0]);
  const roles = await readAll<PractitionerRole>(repository, {
    type: 'PractitionerRole',
    refs: roleRefs.filter((ref): ref is string => ref !== undefined),
  });
  const locationRefs = schedules.map(
    (schedule, index) =>
      refsOf(schedule, ['Location'])[0] ?? roles.get(roleRefs[index] ?? '')?.location?.[0]?.reference,
  );
  const serviceRefs = schedules.map((schedule) => refsOf(schedule, ['HealthcareService'])[0]);
  const defined = (refs: (string | undefined)[]) => refs.filter((ref): ref is string => ref !== undefined);
  const [locations, services] = await Promise.all([
    readAll<Location>(repository, { type: 'Location', refs: defined(locationRefs) }),
    readAll<HealthcareService>(repository, { type: 'HealthcareService', refs: defined(serviceRefs) }),
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
