import { DateTime } from 'luxon';
import type { CommunicationRequest, Extension, Resource, Task } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import {
  COMPLETE_QUESTIONNAIRE,
  questionnaireTaskInput,
  SDC_TASK_SYSTEM,
} from '../../fhir/questionnaire-task.ts';
import type { ChangeEvent } from '../../store/index.ts';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { outreachRequestOf } from '../model/request-outreach.ts';
import { SATISFACTION_CANONICAL, SURVEY_CONTEXT_URL, SURVEY_KEY_SYSTEM } from './survey-codes.ts';
import { installSatisfactionQuestionnaire } from './satisfaction-questionnaire.ts';
import { visitOf, type Visit } from './visit-of.ts';

/**
 * A visit older than this when it is seen (an import of last year's history, a late status) is
 * not surveyed: nobody remembers a visit of a month ago, and a bulk import must send nothing.
 */
const FRESH_HOURS = 48;
const DEFAULT_DELAY_HOURS = 2;

/**
 * Post-visit satisfaction surveys (issue 16): when an Appointment becomes `fulfilled` or an
 * Encounter `finished`, each patient of the visit gets one survey — its questionnaire Task (a
 * `draft` until the invitation went: the portal does not offer it before) and the invitation, a
 * CommunicationRequest of purpose `survey` about the visit and the Task, due `SURVEY_DELAY_HOURS`
 * after the visit. Both are keyed on the visit and the patient, so a replayed event, the
 * Appointment and its Encounter both finishing, or a second status write plan nothing twice.
 * Consent, quiet hours and the caps are the engine's, at the moment of sending.
 */
export async function planSurveys(deps: EngagementDeps, event: ChangeEvent): Promise<void> {
  if (event.action === 'delete' || !['Appointment', 'Encounter'].includes(event.resourceType)) return;
  const resource = await deps.repository
    .read<Resource>(event.resourceType, event.id)
    .catch(absentUnlessUnavailable);
  const visit = resource ? visitOf(resource) : undefined;
  if (!visit || !isFresh(deps, visit) || visit.patients.length === 0) return;
  // The form is stored the first time a survey is planned (on a new clinic too): once per database.
  await installSatisfactionQuestionnaire(deps.repository);
  for (const patient of visit.patients) await planSurvey(deps, { visit, patient });
}

function isFresh(deps: EngagementDeps, visit: Visit): boolean {
  return deps.clock.now().getTime() - Date.parse(visit.endedAt) <= FRESH_HOURS * 3600_000;
}

async function planSurvey(deps: EngagementDeps, survey: { visit: Visit; patient: string }): Promise<void> {
  const key = `${survey.visit.key}/${survey.patient}`;
  const ifNoneExist = `identifier=${SURVEY_KEY_SYSTEM}|${key}`;
  const task = await deps.repository.create(surveyTask(deps, { ...survey, key }), { ifNoneExist });
  const request = surveyRequest(deps, { ...survey, key, task: task.resource.id });
  await deps.repository.create(request, { ifNoneExist });
}

/** The questionnaire Task of the survey: the form the portal offers once the invitation went. */
function surveyTask(deps: EngagementDeps, survey: { visit: Visit; patient: string; key: string }): Task {
  const { visit, patient, key } = survey;
  const day = DateTime.fromISO(visit.endedAt, { zone: deps.rules.clinicTimeZone }).toFormat('ccc d LLL');
  return {
    resourceType: 'Task',
    identifier: [{ system: SURVEY_KEY_SYSTEM, value: key }],
    status: 'draft',
    intent: 'order',
    code: {
      coding: [{ system: SDC_TASK_SYSTEM, code: COMPLETE_QUESTIONNAIRE, display: 'Complete questionnaire' }],
    },
    description: `How was your visit on ${day}?`,
    for: { reference: patient },
    focus: { reference: visit.reference },
    ...(visit.encounter ? { encounter: { reference: visit.encounter } } : {}),
    authoredOn: deps.clock.now().toISOString(),
    input: questionnaireTaskInput(SATISFACTION_CANONICAL),
    extension: [surveyContext(visit)],
  };
}

function surveyContext(visit: Visit): Extension {
  return {
    url: SURVEY_CONTEXT_URL,
    extension: [
      { url: 'visit', valueReference: { reference: visit.reference } },
      ...(visit.touchpoint ? [{ url: 'touchpoint', valueCodeableConcept: visit.touchpoint }] : []),
      ...(visit.location ? [{ url: 'location', valueReference: { reference: visit.location } }] : []),
    ],
  };
}

/** The invitation: due the configured delay after the visit (or now, when that is past). */
function surveyRequest(
  deps: EngagementDeps,
  survey: { visit: Visit; patient: string; key: string; task: string },
): CommunicationRequest {
  const { visit, patient, key, task } = survey;
  const delay = (deps.rules.surveyDelayHours ?? DEFAULT_DELAY_HOURS) * 3600_000;
  const now = deps.clock.now();
  const due = new Date(Math.max(Date.parse(visit.endedAt) + delay, now.getTime()));
  const request = outreachRequestOf(
    { patient, purpose: 'survey', dueAt: due.toISOString(), about: [visit.reference, `Task/${task}`] },
    now,
  );
  request.identifier = [{ system: SURVEY_KEY_SYSTEM, value: key }];
  return request;
}
