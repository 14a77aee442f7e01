import type { EpisodeOfCare, Task } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { searchAll, type FhirRepository } from '../../store/index.ts';
import type { JourneyCatalog } from '../definitions/definitions.ts';
import { JOURNEY_SYSTEM, OPEN_TASK_STATUSES, SIGNAL_SYSTEM } from '../engine/journey-codes.ts';
import { stageHistoryOf } from '../engine/journey-resources.ts';

/**
 * People chosen by where they are in their care: in a journey (optionally at one stage now),
 * and/or with a care gap open now. Every part given narrows: `{journey: 'chronic-care', stage:
 * 'monitored', careGap: 'diabetes-hba1c-overdue'}` is the monitored people with an open HbA1c gap.
 */
export interface JourneyCohortQuery {
  journey?: string;
  stage?: string;
  /** A care-gap rule's id (`signal-rules.json`, kind `care-gap`). */
  careGap?: string;
}

const invalid = (message: string, field: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression: `cohort.${field}` });

/**
 * The people (`Patient/{id}`, each once, in the order found) the journey engine's stored
 * results put in the cohort, read through the caller's store: a caller who may not read care-gap
 * Tasks (they carry the CLINICAL label) finds nobody by a gap.
 */
export async function journeyCohortPatients(
  repository: FhirRepository,
  request: { catalog: JourneyCatalog; query: JourneyCohortQuery },
): Promise<string[]> {
  const { catalog, query } = request;
  checkCohortQuery(catalog, query);
  const parts: string[][] = [];
  if (query.journey) parts.push(await inStage(repository, query));
  if (query.careGap) parts.push(await withOpenGap(repository, query.careGap));
  const [first = [], ...rest] = parts;
  const narrowing = rest.map((part) => new Set(part));
  return first.filter((patient) => narrowing.every((part) => part.has(patient)));
}

/** Names the field at fault: an unknown journey, stage or care gap is a 400, never an empty cohort. */
function checkCohortQuery(catalog: JourneyCatalog, query: JourneyCohortQuery): void {
  if (!query.journey && !query.careGap) throw invalid('Name a journey or a care gap', 'journey');
  if (query.stage && !query.journey) throw invalid('A stage needs its journey', 'journey');
  const journey = catalog.journeys.find((each) => each.id === query.journey);
  if (query.journey && !journey) throw invalid(`No journey "${query.journey}"`, 'journey');
  if (query.stage && !journey?.stages.some((stage) => stage.code === query.stage))
    throw invalid(`Journey "${query.journey}" has no stage "${query.stage}"`, 'stage');
  const rule = catalog.signals.find((each) => each.id === query.careGap);
  if (query.careGap && rule?.kind !== 'care-gap') throw invalid(`No care gap "${query.careGap}"`, 'careGap');
}

/** The people whose episode of the journey is current, and whose open stage period is `stage`. */
async function inStage(repository: FhirRepository, query: JourneyCohortQuery): Promise<string[]> {
  const episodes = await searchAll<EpisodeOfCare>(repository, {
    resourceType: 'EpisodeOfCare',
    params: [
      ['type', `${JOURNEY_SYSTEM}|${query.journey}`],
      // Retired episodes (records linked into one person later) are not people of their own.
      ['status', 'active,waitlist,onhold,planned'],
    ],
  });
  const now = (episode: EpisodeOfCare) => stageHistoryOf(episode).find((period) => !period.end)?.stage;
  return unique(
    episodes
      .filter((episode) => !query.stage || now(episode) === query.stage)
      .map((episode) => episode.patient.reference),
  );
}

async function withOpenGap(repository: FhirRepository, rule: string): Promise<string[]> {
  const tasks = await searchAll<Task>(repository, {
    resourceType: 'Task',
    params: [
      ['code', `${SIGNAL_SYSTEM}|${rule}`],
      ['status', OPEN_TASK_STATUSES.join(',')],
    ],
  });
  return unique(tasks.map((task) => task.for?.reference));
}

function unique(references: (string | undefined)[]): string[] {
  return [...new Set(references.filter((reference) => reference?.startsWith('Patient/')))] as string[];
}
