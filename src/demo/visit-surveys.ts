import { DateTime } from 'luxon';
import type { Extension, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import {
  SATISFACTION_CANONICAL,
  SURVEY_CONTEXT_URL,
  SURVEY_KEY_SYSTEM,
  satisfactionQuestionnaire,
} from '../engagement/index.ts';
import {
  COMPLETE_QUESTIONNAIRE,
  questionnaireTaskInput,
  SDC_TASK_SYSTEM,
} from '../fhir/questionnaire-task.ts';
import { emit, plusMinutes, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import type { Visit } from './visits.ts';

const dayMs = 86_400_000;
/** Visits of the last quarter were surveyed (as engagement does after each visit since it started). */
const SURVEYED_DAYS = 90;
/** Identifies a response by its Task, as the portal writes it. */
const FORM_TASK_SYSTEM = 'https://throughline.dev/fhir/sid/questionnaire-task';
/** Overall scores 1–5, most visits good: weights of each. */
const SCORE_WEIGHTS = [3, 7, 15, 35, 40];

function score(ctx: ClinicContext): number {
  let draw = ctx.random.int(1, 100);
  for (const [index, weight] of SCORE_WEIGHTS.entries()) {
    if (draw <= weight) return index + 1;
    draw -= weight;
  }
  return 5;
}

function surveyContext(visit: Visit, channel: string): Extension {
  const touchpoint = visit.appointment.appointmentType;
  const location = visit.encounter.location?.[0]?.location;
  return {
    url: SURVEY_CONTEXT_URL,
    extension: [
      { url: 'visit', valueReference: ref(visit.appointment) },
      ...(touchpoint ? [{ url: 'touchpoint', valueCodeableConcept: touchpoint }] : []),
      ...(location ? [{ url: 'location', valueReference: location }] : []),
      { url: 'channel', valueCode: channel },
    ],
  };
}

/** The survey of one visit, sent two hours after it; answered or not. */
function recordSurvey(ctx: ClinicContext, survey: { journey: Journey; visit: Visit }): void {
  const { journey, visit } = survey;
  const channel = ctx.random.pick(['sms', 'email']);
  const sent = plusMinutes(visit.encounter.period?.end ?? visit.start, 120);
  const answered = ctx.random.chance(0.45);
  const context = [surveyContext(visit, channel)];
  const task = emit<Task>(ctx, {
    resourceType: 'Task',
    identifier: [
      { system: SURVEY_KEY_SYSTEM, value: `${ref(visit.appointment).reference}/Patient/${journey.gp.id}` },
    ],
    status: answered ? 'completed' : 'requested',
    intent: 'order',
    code: {
      coding: [{ system: SDC_TASK_SYSTEM, code: COMPLETE_QUESTIONNAIRE, display: 'Complete questionnaire' }],
    },
    description: `How was your visit on ${DateTime.fromISO(visit.start, { zone: 'utc' }).toFormat('ccc d LLL')}?`,
    for: ref(journey.gp),
    focus: ref(visit.appointment),
    encounter: ref(visit.encounter),
    authoredOn: visit.encounter.period?.end ?? visit.start,
    executionPeriod: { start: sent },
    input: questionnaireTaskInput(SATISFACTION_CANONICAL),
    extension: context,
  });
  if (answered) answerSurvey(ctx, { journey, visit, task, context, sent });
}

function answerSurvey(
  ctx: ClinicContext,
  answer: { journey: Journey; visit: Visit; task: Stored<Task>; context: Extension[]; sent: string },
): void {
  const { journey, visit, task, context } = answer;
  const overall = score(ctx);
  const recommend = Math.min(10, Math.max(0, overall * 2 + ctx.random.int(-1, 0)));
  const response = emit<QuestionnaireResponse>(ctx, {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: FORM_TASK_SYSTEM, value: task.id },
    questionnaire: SATISFACTION_CANONICAL,
    status: 'completed',
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    authored: plusMinutes(answer.sent, 60 * ctx.random.int(1, 30)),
    author: ref(journey.gp),
    source: ref(journey.gp),
    extension: context,
    item: [
      { linkId: 'overall', answer: [{ valueCoding: { code: String(overall) } }] },
      { linkId: 'recommend', answer: [{ valueCoding: { code: String(recommend) } }] },
    ],
  });
  task.output = [
    {
      type: { coding: [{ system: SDC_TASK_SYSTEM, code: 'questionnaire-response' }] },
      valueReference: ref(response),
    },
  ];
}

/**
 * The satisfaction survey (the engagement's Questionnaire) and, for about half the visits of the
 * last quarter, the survey sent after it, answered by some (so the satisfaction KPIs have figures).
 * Called last: it draws after everyone's story, so nobody's seeded ids change.
 */
export function recordVisitSurveys(ctx: ClinicContext, journeys: Journey[]): void {
  emit(ctx, satisfactionQuestionnaire());
  const since = ctx.now.getTime() - SURVEYED_DAYS * dayMs;
  for (const journey of journeys)
    for (const visit of journey.visits)
      if (
        Date.parse(visit.start) >= since &&
        Date.parse(visit.start) < ctx.now.getTime() &&
        ctx.random.chance(0.5)
      )
        recordSurvey(ctx, { journey, visit });
}
