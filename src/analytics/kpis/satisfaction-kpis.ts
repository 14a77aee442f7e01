import type { Extension, QuestionnaireResponse, Resource, Task } from '@medplum/fhirtypes';
import { patientOf, type Fact, type KpiCollector, type KpiDefinition } from './kpi-model.ts';

/** How src/engagement writes surveys (its README): the codes are repeated here, not imported. */
const SURVEY_KEY_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/engagement/visit-survey';
const SURVEY_CONTEXT_URL = 'https://throughline.dev/fhir/StructureDefinition/survey-context';
const SATISFACTION_QUESTIONNAIRE_URL = 'https://throughline.dev/fhir/Questionnaire/visit-satisfaction';
const OVERALL_ITEM = 'overall';
/** A survey was sent when its Task left `draft` for one of these (the portal offers it then). */
const SENT = new Set(['requested', 'received', 'accepted', 'ready', 'in-progress', 'completed']);

const dimensions: KpiDefinition['dimensions'] = ['location', 'channel'];

/** The KPIs grouped by the patient-journey stage (joined from the stage facts, not the resource). */
export const stageGroupedKpis = ['survey-response-by-stage', 'satisfaction-by-stage'];

const satisfactionDefinitions: KpiDefinition[] = [
  {
    id: 'survey-response-rate',
    title: 'Satisfaction surveys sent that were answered',
    kind: 'rate',
    dimensions,
  },
  {
    id: 'survey-response-by-touchpoint',
    title: 'Satisfaction surveys answered, by service',
    kind: 'rate',
    dimensions,
  },
  {
    id: 'survey-response-by-stage',
    title: 'Satisfaction surveys answered, by journey stage',
    kind: 'rate',
    dimensions,
  },
  { id: 'satisfaction-score', title: 'Survey answers scoring 4–5 of 5', kind: 'rate', dimensions },
  {
    id: 'satisfaction-by-touchpoint',
    title: 'Survey answers scoring 4–5 of 5, by service',
    kind: 'rate',
    dimensions,
  },
  {
    id: 'satisfaction-by-stage',
    title: 'Survey answers scoring 4–5 of 5, by journey stage',
    kind: 'rate',
    dimensions,
  },
];

/** The survey's context (the visit's touchpoint and location, the channel it was sent on). */
interface SurveyContext {
  touchpoint: string;
  location?: string;
  channel: string;
}

function contextOf(extensions: Extension[] | undefined): SurveyContext {
  const parts = extensions?.find((e) => e.url === SURVEY_CONTEXT_URL)?.extension ?? [];
  const part = (url: string) => parts.find((e) => e.url === url);
  const touchpoint = part('touchpoint')?.valueCodeableConcept;
  const location = part('location')?.valueReference?.reference?.match(/^Location\/([^/]+)$/)?.[1];
  return {
    touchpoint:
      touchpoint?.text ?? touchpoint?.coding?.[0]?.display ?? touchpoint?.coding?.[0]?.code ?? 'other',
    ...(location ? { location } : {}),
    channel: part('channel')?.valueCode ?? 'other',
  };
}

const isSurveyTask = (task: Task) =>
  task.identifier?.some((identifier) => identifier.system === SURVEY_KEY_SYSTEM) ?? false;

/**
 * A sent survey, dated when it was sent, answered or not (its Task is completed by the answer):
 * by channel, by touchpoint, and by journey stage (the group is the patient's stage when it was
 * sent, joined from the stage facts: `journey-stages.ts`).
 */
export function surveyTaskFacts(task: Task): Fact[] {
  const sentAt = task.executionPeriod?.start;
  if (!isSurveyTask(task) || !SENT.has(task.status) || !sentAt) return [];
  const { location, channel, touchpoint } = contextOf(task.extension);
  const patient = patientOf(task.for?.reference);
  const base = { at: sentAt, patient, inNumerator: task.status === 'completed', channel, location };
  return [
    { kpi: 'survey-response-rate', ...base, group: channel },
    { kpi: 'survey-response-by-touchpoint', ...base, group: touchpoint },
    { kpi: 'survey-response-by-stage', ...base },
  ];
}

/** The overall score (1–5) of a submitted satisfaction survey, if it has one. */
function overallScore(response: QuestionnaireResponse): number | undefined {
  const [url] = (response.questionnaire ?? '').split('|');
  if (url !== SATISFACTION_QUESTIONNAIRE_URL || response.status !== 'completed') return undefined;
  const answer = response.item?.find((item) => item.linkId === OVERALL_ITEM)?.answer?.[0];
  const score = Number(answer?.valueCoding?.code ?? answer?.valueInteger);
  return Number.isInteger(score) && score >= 1 && score <= 5 ? score : undefined;
}

/**
 * A submitted answer, dated when it was authored: its score (4–5 in the numerator) grouped by
 * the score itself (the distribution, from which the mean follows), again by touchpoint, and by
 * the patient's journey stage when they answered (joined, as the survey's).
 */
export function surveyResponseFacts(response: QuestionnaireResponse): Fact[] {
  const score = overallScore(response);
  const at = response.authored ?? response.meta?.lastUpdated;
  if (score === undefined || !at) return [];
  const { touchpoint, location, channel } = contextOf(response.extension);
  const patient = patientOf(response.subject?.reference);
  const base = { at, patient, inNumerator: score >= 4, channel, location };
  return [
    { kpi: 'satisfaction-score', ...base, group: String(score) },
    { kpi: 'satisfaction-by-touchpoint', ...base, group: touchpoint },
    { kpi: 'satisfaction-by-stage', ...base },
  ];
}

/** Survey response rate and satisfaction scores, from the survey Tasks and the answers (see README). */
export function satisfactionKpis(): KpiCollector {
  const facts: Fact[] = [];
  return {
    types: ['Task', 'QuestionnaireResponse'],
    kpis: satisfactionDefinitions,
    add(resource: Resource) {
      if (resource.resourceType === 'Task') facts.push(...surveyTaskFacts(resource));
      if (resource.resourceType === 'QuestionnaireResponse') facts.push(...surveyResponseFacts(resource));
    },
    facts: () => facts,
  };
}
