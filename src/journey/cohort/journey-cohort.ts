import type { EpisodeOfCare, Flag, Resource, Task } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { searchAll, type FhirRepository } from '../../store/index.ts';
import type { JourneyCatalog } from '../definitions/definitions.ts';
import {
  CHANNEL_EXTENSION,
  JOURNEY_SYSTEM,
  SIGNAL_IDENTIFIER,
  SIGNAL_KIND_SYSTEM,
  SIGNAL_SYSTEM,
} from '../engine/journey-codes.ts';
import { stageHistoryOf } from '../engine/journey-resources.ts';
import { outcomeOf } from '../engine/plan-signals.ts';
import { stageFunnel, type StageRow } from './stage-funnel.ts';
import { stageMembers, type StageMember } from './stage-members.ts';

export interface CohortQuery {
  journey: string;
  /** Episodes active at some point in [from, to]. */
  from?: string;
  to?: string;
  /** `Organization/id` managing the patient. */
  clinic?: string;
  /** Preferred outreach channel: sms, email, phone, … */
  channel?: string;
  /** A stage code: also list the patients in it now (`members`), the funnel's click-through. */
  stage?: string;
}

export interface CohortRequest {
  catalog: JourneyCatalog;
  query: CohortQuery;
  /** The moment time in stage is counted to. */
  now: Date;
}

export interface CohortReport {
  journey: string;
  patients: number;
  stages: StageRow[];
  painPoints: Record<string, number>;
  careGaps: {
    opened: number;
    open: number;
    closedByRecord: number;
    closedByStaff: number;
    closureRate: number;
  };
  members?: StageMember[];
}

/** Funnel by stage, time in stage, drop-off, pain points and care-gap closure for one journey. */
export async function journeyCohort(
  repository: FhirRepository,
  { catalog, query, now }: CohortRequest,
): Promise<CohortReport> {
  const journey = catalog.journeys.find((definition) => definition.id === query.journey);
  if (!journey)
    throw new ThroughlineError('NOT_FOUND', `No journey "${query.journey}"`, { expression: 'journey' });
  if (query.stage && !journey.stages.some((stage) => stage.code === query.stage))
    throw new ThroughlineError('INVALID_REQUEST', `Journey "${journey.id}" has no stage "${query.stage}"`, {
      expression: 'stage',
    });
  const everyMatch = <T extends Resource>(resourceType: string, params: [string, string][]) =>
    searchAll<T>(repository, { resourceType, params });
  const episodes = (
    await everyMatch<EpisodeOfCare>('EpisodeOfCare', [['type', `${JOURNEY_SYSTEM}|${journey.id}`]])
  ).filter((episode) => inCohort(episode, query));
  const patients = new Set(episodes.map((episode) => episode.patient.reference));
  const inScope = (reference?: string) => reference !== undefined && patients.has(reference);
  const flags = (await everyMatch<Flag>('Flag', [['identifier', `${SIGNAL_IDENTIFIER}|`]])).filter(
    (flag) => flag.status === 'active' && inScope(flag.subject.reference),
  );
  const gaps = (await everyMatch<Task>('Task', [['code', `${SIGNAL_KIND_SYSTEM}|care-gap`]])).filter((task) =>
    inScope(task.for?.reference),
  );
  return {
    journey: journey.id,
    patients: patients.size,
    stages: stageFunnel(journey, episodes.map(stageHistoryOf), now),
    painPoints: countBy(
      flags.map((flag) => flag.code.coding?.find((c) => c.system === SIGNAL_SYSTEM)?.code ?? 'other'),
    ),
    careGaps: closure(gaps),
    ...(query.stage ? { members: stageMembers(journey, { episodes, stage: query.stage, now }) } : {}),
  };
}

function inCohort(episode: EpisodeOfCare, query: CohortQuery): boolean {
  // Retired episodes (records linked into one person later) are not people of their own.
  if (episode.status === 'cancelled' || episode.status === 'entered-in-error') return false;
  if (query.clinic && episode.managingOrganization?.reference !== query.clinic) return false;
  const channel = episode.extension?.find((extension) => extension.url === CHANNEL_EXTENSION)?.valueCode;
  if (query.channel && channel !== query.channel) return false;
  const start = episode.period?.start ?? '';
  const end = episode.period?.end;
  if (query.to && start > query.to) return false;
  if (query.from && end && end < query.from) return false;
  return true;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function closure(tasks: Task[]): CohortReport['careGaps'] {
  const closedByRecord = tasks.filter((task) => outcomeOf(task) === 'closed-by-record').length;
  const closedByStaff = tasks.filter((task) => outcomeOf(task) === 'completed-by-staff').length;
  const open = tasks.filter(
    (task) => !['completed', 'cancelled', 'failed', 'rejected', 'entered-in-error'].includes(task.status),
  ).length;
  return {
    opened: tasks.length,
    open,
    closedByRecord,
    closedByStaff,
    closureRate: tasks.length
      ? Math.round(((closedByRecord + closedByStaff) / tasks.length) * 1000) / 1000
      : 0,
  };
}
