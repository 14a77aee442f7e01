import type { Group } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { readKpiFactsLinkedTo, type FhirRepository, type SqlExecutor } from '../../store/index.ts';

/**
 * A cohort's size limit: its records' facts are summed when asked (there are no kept sums per
 * cohort), which stays well under the dashboard's budget up to this many members.
 */
export const maxCohortMembers = 5000;

/**
 * The records (patient ids) of a cohort: the Group read through the caller's own scoped store
 * (a Group the caller may not read is their 403/404), its active `member.entity` Patients, and
 * the source records of any golden record among them (the facts are kept on source records).
 * More than `maxCohortMembers` is a 400 naming `cohort`.
 */
export async function cohortRecords(
  deps: { repository: FhirRepository; db: SqlExecutor },
  groupId: string,
): Promise<string[]> {
  const group = await deps.repository.read<Group>('Group', groupId);
  const members = (group.member ?? [])
    .filter((member) => member.inactive !== true)
    .flatMap((member) => member.entity.reference?.match(/^Patient\/([^/]+)$/)?.[1] ?? []);
  if (members.length > maxCohortMembers)
    throw new ThroughlineError(
      'INVALID_REQUEST',
      `cohort Group/${groupId} has ${members.length} members; KPIs filter cohorts of up to ${maxCohortMembers}`,
      { expression: 'cohort' },
    );
  const linked = await readKpiFactsLinkedTo(deps.db, { kind: 'golden-record', links: members });
  return [...new Set([...members, ...linked])].sort();
}
