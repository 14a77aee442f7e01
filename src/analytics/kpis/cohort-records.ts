import type { Group } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { readKpiFactsLinkedTo, type FhirRepository, type SqlExecutor } from '../../store/index.ts';

/**
 * A cohort's size limit: its records' facts are summed when asked (there are no kept sums per
 * cohort), which stays well under the dashboard's budget up to this many members.
 */
export const maxCohortMembers = 5000;

/**
 * A saved search as a cohort: a definitional Group (`actual: false`) whose members are whoever
 * the search finds when the KPIs are asked, e.g. `Patient?address-city=Springfield` or
 * `Condition?code=http://snomed.info/sct|44054006` (each resource stands for its patient).
 */
export const COHORT_SEARCH_URL = 'https://throughline.dev/fhir/StructureDefinition/cohort-search';

/** The patients (`Patient/{id}`) a search finds, run as the caller (the server wires it). */
export type PatientSearch = (search: string) => Promise<string[]>;

/**
 * The records (patient ids) of a cohort: the Group read through the caller's own scoped store
 * (a Group the caller may not read is their 403/404), its active `member.entity` Patients — or,
 * for a saved search, whom the search finds as the caller — and the source records of any golden
 * record among them (the facts are kept on source records). More than `maxCohortMembers` is a
 * 400 naming `cohort`.
 */
export async function cohortRecords(
  deps: { repository: FhirRepository; db: SqlExecutor; searchPatients: PatientSearch },
  groupId: string,
): Promise<string[]> {
  const group = await deps.repository.read<Group>('Group', groupId);
  const members = await membersOf(group, deps.searchPatients);
  if (members.length > maxCohortMembers)
    throw new ThroughlineError(
      'INVALID_REQUEST',
      `cohort Group/${groupId} has ${members.length} members; KPIs filter cohorts of up to ${maxCohortMembers}`,
      { expression: 'cohort' },
    );
  const linked = await readKpiFactsLinkedTo(deps.db, { kind: 'golden-record', links: members });
  return [...new Set([...members, ...linked])].sort();
}

async function membersOf(group: Group, searchPatients: PatientSearch): Promise<string[]> {
  const search = group.extension?.find((extension) => extension.url === COHORT_SEARCH_URL)?.valueString;
  const references = search
    ? await searchPatients(search)
    : (group.member ?? [])
        .filter((member) => member.inactive !== true)
        .map((member) => member.entity.reference);
  return references.flatMap((reference) => reference?.match(/^Patient\/([^/]+)$/)?.[1] ?? []);
}
