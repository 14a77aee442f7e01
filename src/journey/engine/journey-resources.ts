import type {
  CodeableConcept,
  EpisodeOfCare,
  Extension,
  Flag,
  Organization,
  Reference,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import type { JourneyDefinition, SignalRule } from '../definitions/definitions.ts';
import type { StagePeriod } from './derive-stage.ts';
import type { OpenSignal } from './find-signals.ts';
import {
  CHANNEL_EXTENSION,
  CLINICAL_LABEL,
  EPISODE_IDENTIFIER,
  REFERRAL_LOOP_IDENTIFIER,
  JOURNEY_SYSTEM,
  SIGNAL_IDENTIFIER,
  SIGNAL_KIND_SYSTEM,
  SIGNAL_SYSTEM,
  STAGE_EXTENSION,
  WORKLIST_SYSTEM,
  stageSystem,
} from './journey-codes.ts';

export interface EpisodeContext {
  personId: string;
  managingOrganization?: Reference<Organization>;
  channel?: string;
}

export const episodeKey = (personId: string, journeyId: string) => `${personId}/${journeyId}`;
export const signalKey = (personId: string, signal: OpenSignal) =>
  `${personId}/${signal.rule.id}/${signal.focus ?? '-'}`;

/** The history an episode records; `finishedAt` when the patient left the journey. */
export interface EpisodeState {
  history: StagePeriod[];
  finishedAt?: string;
}

/** A patient's place in one journey: an EpisodeOfCare whose stage periods are its history. */
export function journeyEpisode(
  journey: JourneyDefinition,
  { history, finishedAt }: EpisodeState,
  context: EpisodeContext,
): EpisodeOfCare {
  const channel: Extension[] = context.channel
    ? [{ url: CHANNEL_EXTENSION, valueCode: context.channel }]
    : [];
  return {
    resourceType: 'EpisodeOfCare',
    extension: [...stageExtensions(journey, history), ...channel],
    identifier: [{ system: EPISODE_IDENTIFIER, value: episodeKey(context.personId, journey.id) }],
    status: finishedAt ? 'finished' : 'active',
    type: [journeyType(journey)],
    patient: { reference: `Patient/${context.personId}` },
    ...(context.managingOrganization ? { managingOrganization: context.managingOrganization } : {}),
    period: finishedAt
      ? { start: history[0]?.start ?? finishedAt, end: finishedAt }
      : { start: history[0]?.start },
  };
}

function stageExtensions(journey: JourneyDefinition, history: StagePeriod[]): Extension[] {
  return history.map((period) => ({
    url: STAGE_EXTENSION,
    extension: [
      {
        url: 'stage',
        valueCoding: { system: stageSystem(journey.id), code: period.stage, display: period.display },
      },
      {
        url: 'period',
        valuePeriod: period.end ? { start: period.start, end: period.end } : { start: period.start },
      },
    ],
  }));
}

function journeyType(journey: JourneyDefinition): CodeableConcept {
  return {
    coding: [
      {
        system: JOURNEY_SYSTEM,
        code: journey.id,
        version: String(journey.version),
        display: journey.title,
      },
    ],
  };
}

/** The stage periods stored on an episode, oldest first. */
export function stageHistoryOf(episode: EpisodeOfCare | undefined): StagePeriod[] {
  return (episode?.extension ?? [])
    .filter((extension) => extension.url === STAGE_EXTENSION)
    .map((extension) => {
      const stage = extension.extension?.find((part) => part.url === 'stage')?.valueCoding;
      const period = extension.extension?.find((part) => part.url === 'period')?.valuePeriod;
      return {
        stage: stage?.code ?? '',
        display: stage?.display ?? '',
        start: period?.start ?? '',
        end: period?.end,
      };
    });
}

/** An open care gap or follow-up, as a Task on its worklist. */
export function signalTask(personId: string, signal: OpenSignal, now: string): Task {
  const { rule } = signal;
  return {
    resourceType: 'Task',
    ...labelsOf(rule),
    identifier: [{ system: SIGNAL_IDENTIFIER, value: signalKey(personId, signal) }],
    status: 'requested',
    intent: 'plan',
    priority: rule.priority ?? 'routine',
    code: {
      coding: [
        { system: SIGNAL_SYSTEM, code: rule.id, display: rule.title },
        { system: SIGNAL_KIND_SYSTEM, code: rule.kind },
      ],
      text: rule.title,
    },
    description: rule.description ?? rule.title,
    for: { reference: `Patient/${personId}` },
    ...(signal.focus ? { focus: { reference: signal.focus } } : {}),
    authoredOn: now,
    performerType: [{ coding: [{ system: WORKLIST_SYSTEM, code: rule.worklist as string }] }],
  };
}

/**
 * A signal that names a condition, result or medicine is labelled CLINICAL, so the checkpoint
 * shows it only to roles that may read clinical data (a front desk never learns a diagnosis from
 * a worklist title).
 */
function labelsOf(rule: SignalRule): Pick<Task, 'meta'> {
  return rule.clinicalDetail ? { meta: { security: [CLINICAL_LABEL] } } : {};
}

/** An open pain point, as a Flag on the patient. */
export function painPointFlag(personId: string, signal: OpenSignal, now: string): Flag {
  const { rule } = signal;
  return {
    resourceType: 'Flag',
    ...labelsOf(rule),
    identifier: [{ system: SIGNAL_IDENTIFIER, value: signalKey(personId, signal) }],
    status: 'active',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/flag-category',
            code: 'admin',
            display: 'Administrative',
          },
        ],
      },
    ],
    code: {
      coding: [
        { system: SIGNAL_SYSTEM, code: rule.id, display: rule.title },
        { system: SIGNAL_KIND_SYSTEM, code: 'pain-point' },
      ],
      text: signal.focus ? `${rule.title} (${signal.focus})` : rule.title,
    },
    subject: { reference: `Patient/${personId}` },
    period: { start: now },
  };
}

const ARTIFACT_IDENTIFIERS = [EPISODE_IDENTIFIER, SIGNAL_IDENTIFIER, REFERRAL_LOOP_IDENTIFIER];

/** Resources the journey engine writes; the record it reasons over leaves them out. */
export function isJourneyArtifact(resource: Resource): boolean {
  if (!['EpisodeOfCare', 'Task', 'Flag'].includes(resource.resourceType)) return false;
  const identifiers = (resource as EpisodeOfCare | Task | Flag).identifier ?? [];
  return identifiers.some((id) => ARTIFACT_IDENTIFIERS.includes(id.system ?? ''));
}

export function identifierValue(resource: Resource): string | undefined {
  return artifactIdentifier(resource)?.value;
}

/** The identifier the journey engine keys an artifact by (its system says which kind it is). */
export function artifactIdentifier(resource: Resource): { system?: string; value?: string } | undefined {
  return ((resource as Task).identifier ?? []).find((id) => ARTIFACT_IDENTIFIERS.includes(id.system ?? ''));
}
