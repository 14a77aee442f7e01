import type { EpisodeOfCare, Flag, Resource, Task } from '@medplum/fhirtypes';
import { OPEN_TASK_STATUSES, TASK_OUTCOME_SYSTEM } from './journey-codes.ts';

/**
 * Journey artifacts attached to one of the person's records rather than the person: written
 * before identity linked the records into one golden record. The person's own artifacts take
 * over; these are retired (cancelled, never deleted) so nobody works a list item twice.
 */
export function retireForeign(foreign: Resource[], now: Date): Resource[] {
  const at = now.toISOString();
  return foreign.flatMap((resource): Resource[] => {
    if (resource.resourceType === 'EpisodeOfCare') {
      const episode = resource as EpisodeOfCare;
      return episode.status === 'active'
        ? [{ ...episode, status: 'cancelled', period: { ...episode.period, end: at } }]
        : [];
    }
    if (resource.resourceType === 'Flag') {
      const flag = resource as Flag;
      return flag.status === 'active'
        ? [{ ...flag, status: 'inactive', period: { ...flag.period, end: at } }]
        : [];
    }
    const task = resource as Task;
    if (!OPEN_TASK_STATUSES.includes(task.status)) return [];
    return [
      {
        ...task,
        status: 'cancelled',
        businessStatus: {
          coding: [
            {
              system: TASK_OUTCOME_SYSTEM,
              code: 'superseded',
              display: 'Superseded: records linked into one person',
            },
          ],
        },
        lastModified: at,
      },
    ];
  });
}
