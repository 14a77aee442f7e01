import type { Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../../fhir/compartment.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { Cohort, RuleEvent } from './rule-model.ts';

const PAGE = 500;

/** Members one occurrence reads at most: a cohort larger than this is cut, and the run log says so. */
export const MAX_COHORT = 10_000;

/**
 * The cohort of an occurrence: every resource the search finds (as the rules' principal may
 * read it), paged by id. Strict: a misspelt parameter fails instead of selecting the whole type.
 */
export async function selectCohort(repository: FhirRepository, cohort: Cohort): Promise<Resource[]> {
  const members: Resource[] = [];
  for (let after: string | undefined; members.length < MAX_COHORT;) {
    const bundle = await repository.search({
      resourceType: cohort.resourceType,
      params: [...cohort.params, ['_count', String(PAGE)]],
      after,
      strict: true,
    });
    const page = (bundle.entry ?? [])
      .filter((entry) => entry.search?.mode !== 'include')
      .map((entry) => entry.resource as Resource);
    members.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return members.slice(0, MAX_COHORT);
}

/** A cohort member as the event a scheduled run is about: that version, met at the occurrence. */
export function memberEvent(member: Resource, occurrence: string): RuleEvent {
  const compartment = patientCompartmentOf(member);
  const patient = compartment ? `Patient/${compartment}` : undefined;
  return {
    resourceType: member.resourceType,
    id: member.id ?? '',
    versionId: member.meta?.versionId ?? '1',
    action: 'scheduled',
    occurredAt: occurrence,
    occurrence,
    ...(patient ? { patient } : {}),
  };
}
