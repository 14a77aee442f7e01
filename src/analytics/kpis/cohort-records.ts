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

/**
 * The patients (`Patient/{id}`) a search finds, run as the caller (the server wires it): at most
 * `limit + 1`, so a search finding more is refused without reading every match.
 */
export type PatientSearch = (search: string, options: { limit: number }) => Promise<string[]>;

/**
 * The records (patient ids) of a cohort: the Group read through the caller's own scoped store
 * (a Group the caller may not read is their 403/404), its active `member.entity` Patients — or,
 * for a saved search, whom the search finds as the caller — and the source records of any golden
 * record among them (the facts are kept on source records). More than `maxCohortMembers` is a
 * 400 naming `cohort`.
 */
export async function cohortRecords(
  deps: { repository: FhirRepository; db: SqlExecutor; searchPatients: PatientSearch; maxMembers?: number },
  groupId: string,
): Promise<string[]> {
  const group = await deps.repository.read<Group>('Group', groupId);
  const limit = deps.maxMembers ?? maxCohortMembers;
  const search = group.extension?.find((extension) => extension.url === COHORT_SEARCH_URL)?.valueString;
  const members = search
    ? patientIds(await deps.searchPatients(search, { limit }))
    : patientIds(
        group.member?.filter((member) => member.inactive !== true).map((member) => member.entity.reference),
      );
  if (members.length > limit) {
    const size = search ? `its search finds more than ${limit} patients` : `has ${members.length} members`;
    throw new ThroughlineError(
      'INVALID_REQUEST',
      `cohort Group/${groupId} ${size}; KPIs filter cohorts of up to ${limit}`,
      { expression: 'cohort' },
    );
  }
  const linked = await readKpiFactsLinkedTo(deps.db, { kind: 'golden-record', links: members });
  return [...new Set([...members, ...linked])].sort();
}

function patientIds(references: (string | undefined)[] = []): string[] {
  return references.flatMap((reference) => reference?.match(/^Patient\/([^/]+)$/)?.[1] ?? []);
}
