import { ENGAGEMENT_SYSTEM } from '../model/outreach-codes.ts';

/** The satisfaction Questionnaire every clinic gets (`url|version` is what a response names). */
export const SATISFACTION_QUESTIONNAIRE_URL = 'https://throughline.dev/fhir/Questionnaire/visit-satisfaction';
export const SATISFACTION_QUESTIONNAIRE_VERSION = '1';
export const SATISFACTION_CANONICAL = `${SATISFACTION_QUESTIONNAIRE_URL}|${SATISFACTION_QUESTIONNAIRE_VERSION}`;

/** Identifies the survey of one visit and patient, on its Task and its CommunicationRequest: `{visit}/{patient}`. */
export const SURVEY_KEY_SYSTEM = `${ENGAGEMENT_SYSTEM}/visit-survey`;

/**
 * The survey's context on its Task, copied onto the answer by the portal: sub-extensions
 * `visit` (valueReference, the Appointment or Encounter), `touchpoint` (valueCodeableConcept,
 * the visit's service type), `location` (valueReference) and, once sent, `channel` (valueCode).
 */
export const SURVEY_CONTEXT_URL = 'https://throughline.dev/fhir/StructureDefinition/survey-context';

/** The items of the satisfaction Questionnaire. */
export const SURVEY_ITEMS = { overall: 'overall', recommend: 'recommend', comment: 'comment' } as const;
