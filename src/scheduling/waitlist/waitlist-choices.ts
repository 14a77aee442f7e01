import type { Location, Practitioner, Resource } from '@medplum/fhirtypes';
import type { SchedulingDeps } from '../scheduling-deps.ts';
import { searchSchedules } from '../find/read-actors.ts';
import { serviceRulesOf } from '../model/service-types.ts';

/** A practitioner or place a patient may ask to wait for. */
export interface WaitlistActor {
  reference: string;
  name: string;
}

/** One service the clinic books, with who gives it and where. */
export interface WaitlistService {
  code: string;
  display: string;
  practitioners: WaitlistActor[];
  locations: WaitlistActor[];
}

const nameOf = (resource: Resource | undefined): string | undefined => {
  if (resource?.resourceType === 'Location') return (resource as Location).name;
  if (resource?.resourceType !== 'Practitioner') return undefined;
  const name = (resource as Practitioner).name?.[0];
  return name?.text ?? [...(name?.prefix ?? []), ...(name?.given ?? []), name?.family].join(' ').trim();
};

/**
 * What a patient may wait for: the services of the clinic's active Schedules, each with the
 * practitioners and locations its Schedules name (one search with the actors included).
 */
export async function waitlistChoices(deps: SchedulingDeps): Promise<WaitlistService[]> {
  const { schedules, known } = await searchSchedules(deps.repository, [
    ['active', 'true'],
    ['_count', '1000'],
  ]);
  const services = new Map<string, WaitlistService>();
  for (const schedule of schedules) {
    const rules = serviceRulesOf(schedule.serviceType);
    if (!rules.code) continue;
    const service = services.get(rules.code) ?? {
      code: rules.code,
      display: rules.display ?? rules.code,
      practitioners: [],
      locations: [],
    };
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
    services.set(rules.code, service);
  }
  return [...services.values()];
}
