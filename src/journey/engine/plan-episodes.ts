import type { EpisodeOfCare, Patient, Resource } from '@medplum/fhirtypes';
import type { JourneyDefinition } from '../definitions/definitions.ts';
import {
  advanceHistory,
  daysSince,
  deriveStage,
  type DerivedStage,
  type StagePeriod,
} from './derive-stage.ts';
import {
  episodeKey,
  identifierValue,
  journeyEpisode,
  stageHistoryOf,
  type EpisodeContext,
} from './journey-resources.ts';
import type { RecordContext } from './record-context.ts';
import { sameContent } from './same-content.ts';

/** Where a person is in one journey. */
export interface StageSummary {
  journey: string;
  title: string;
  stage: string;
  display: string;
  since: string;
  daysInStage: number;
  slaDays?: number;
  expectedActions: string[];
  history: StagePeriod[];
}

export interface EpisodePlanInput {
  journeys: JourneyDefinition[];
  context: RecordContext;
  /** What the engine wrote for this person before: their stored episodes among it. */
  own: Resource[];
  person: EpisodeContext;
}

/**
 * Derives the stage in every journey and returns the EpisodeOfCare writes that record it
 * (only those that changed: recomputing an unchanged record writes nothing).
 */
export function planEpisodes(input: EpisodePlanInput): { stages: StageSummary[]; writes: Resource[] } {
  const { journeys, context, own, person } = input;
  const stages: StageSummary[] = [];
  const writes: Resource[] = [];
  for (const journey of journeys) {
    const existing = own.find(
      (resource): resource is EpisodeOfCare =>
        resource.resourceType === 'EpisodeOfCare' &&
        identifierValue(resource) === episodeKey(person.personId, journey.id),
    );
    const stage = deriveStage(journey, context);
    const history = stageHistoryOf(existing);
    let desired: EpisodeOfCare | undefined;
    if (stage) {
      const advanced = advanceHistory({ journey, stage }, history, context);
      stages.push(stageSummary({ journey, stage }, advanced, context.now));
      desired = journeyEpisode(journey, { history: advanced }, person);
    } else if (existing?.status === 'active') {
      const now = context.now.toISOString();
      desired = journeyEpisode(journey, { history: closeOpenPeriod(history, now), finishedAt: now }, person);
    }
    if (desired && !(existing && sameContent(desired, existing)))
      writes.push(existing ? { ...desired, id: existing.id, meta: existing.meta } : desired);
  }
  return { stages, writes };
}

function stageSummary({ journey, stage }: DerivedStage, history: StagePeriod[], now: Date): StageSummary {
  const open = history.at(-1) as StagePeriod;
  return {
    journey: journey.id,
    title: journey.title,
    stage: stage.code,
    display: stage.display,
    since: open.start,
    daysInStage: daysSince(open.start, now),
    slaDays: stage.slaDays,
    expectedActions: stage.expectedActions ?? [],
    history,
  };
}

function closeOpenPeriod(history: StagePeriod[], end: string): StagePeriod[] {
  return history.map((period) => (period.end ? period : { ...period, end }));
}

/** Organization and outreach channel for cohort filters, from the person's source records. */
export function episodeContextOf(personId: string, record: Resource[]): EpisodeContext {
  const patients = record.filter((resource): resource is Patient => resource.resourceType === 'Patient');
  const managingOrganization = patients.find((patient) => patient.managingOrganization)?.managingOrganization;
  const channel = patients.map(preferredChannel).find(Boolean);
  return { personId, managingOrganization, channel };
}

/** FHIR's way to say "use this first" is `ContactPoint.rank`; a mobile number means SMS. */
export function preferredChannel(patient: Patient): string | undefined {
  const first = [...(patient.telecom ?? [])]
    .filter((point) => point.value)
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0];
  if (!first) return undefined;
  if (first.system === 'email') return 'email';
  if (first.system === 'phone' || first.system === 'sms')
    return first.use === 'mobile' || first.system === 'sms' ? 'sms' : 'phone';
  return first.system;
}
