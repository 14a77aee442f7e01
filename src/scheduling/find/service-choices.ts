import type { Location, Practitioner, Resource, Schedule } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { serviceRulesOf } from '../model/service-types.ts';
import { searchSchedules, type KnownResources } from './read-actors.ts';

/** A practitioner or place a service is booked with. */
export interface ServiceActor {
  reference: string;
  name: string;
}

/** One service the clinic books (a visit type): how long it lasts, who gives it and where. */
export interface ServiceChoice {
  code: string;
  display: string;
  /** The visit's length (`model/service-types.json`), without the buffer after it. */
  minutes: number;
  practitioners: ServiceActor[];
  locations: ServiceActor[];
}

const nameOf = (resource: Resource | undefined): string | undefined => {
  if (resource?.resourceType === 'Location') return (resource as Location).name;
  if (resource?.resourceType !== 'Practitioner') return undefined;
  const name = (resource as Practitioner).name?.[0];
  return name?.text ?? [...(name?.prefix ?? []), ...(name?.given ?? []), name?.family].join(' ').trim();
};

/** Adds the Schedule's practitioners and locations to its service, each once. */
function addActors(service: ServiceChoice, schedule: Schedule, known: KnownResources): void {
  for (const actor of schedule.actor ?? []) {
    const reference = actor.reference ?? '';
    const list = reference.startsWith('Practitioner/')
      ? service.practitioners
      : reference.startsWith('Location/')
        ? service.locations
        : undefined;
    const name = nameOf(known.get(reference)) ?? actor.display;
    if (list && name && !list.some((each) => each.reference === reference)) list.push({ reference, name });
  }
}

/**
 * What can be booked or waited for: the services of the clinic's active Schedules, each with the
 * practitioners and locations its Schedules name (one search with the actors included) — the
 * portal's waitlist form and the front desk's booking filters.
 */
export async function serviceChoices(deps: SchedulingDeps): Promise<ServiceChoice[]> {
  const { schedules, known } = await searchSchedules(deps.repository, [
    ['active', 'true'],
    ['_count', '1000'],
  ]);
  const services = new Map<string, ServiceChoice>();
  for (const schedule of schedules) {
    const rules = serviceRulesOf(schedule.serviceType);
    if (!rules.code) continue;
    const service = services.get(rules.code) ?? {
      code: rules.code,
      display: rules.display ?? rules.code,
      minutes: rules.minutes,
      practitioners: [],
      locations: [],
    };
    addActors(service, schedule, known);
    services.set(rules.code, service);
  }
  return [...services.values()];
}
