import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { loadPersonRecord } from '../view/load-person-record.ts';
import { planJourney, type JourneyPlan } from '../engine/plan-journey.ts';
import { artifactIdentifier } from '../engine/journey-resources.ts';
import type { JourneyDeps, Person } from './journey-deps.ts';

/**
 * Derives one person's journey from their whole record and writes what changed (episodes,
 * worklist Tasks, pain-point Flags) in one transaction. New artifacts are conditional creates
 * on their identifier and updates carry If-Match, so two workers racing on one person cannot
 * duplicate or overwrite each other: the loser fails and its event is retried.
 */
export async function recomputePerson(deps: JourneyDeps, person: Person): Promise<JourneyPlan> {
  const ids = [...new Set([person.id, ...person.recordIds])];
  const resources = await loadPersonRecord(deps.repository, ids);
  const plan = planJourney(deps.catalog, { personId: person.id, resources, now: deps.clock.now() });
  if (plan.writes.length > 0)
    await deps.repository.processBundle({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: plan.writes.map(writeEntry),
    } as Bundle);
  return plan;
}

function writeEntry(resource: Resource): BundleEntry {
  if (resource.id)
    return {
      resource,
      request: {
        method: 'PUT',
        url: `${resource.resourceType}/${resource.id}`,
        ...(resource.meta?.versionId ? { ifMatch: `W/"${resource.meta.versionId}"` } : {}),
      },
    };
  const identifier = artifactIdentifier(resource);
  return {
    resource,
    request: {
      method: 'POST',
      url: resource.resourceType,
      ifNoneExist: `identifier=${identifier?.system ?? ''}|${identifier?.value ?? ''}`,
    },
  };
}
