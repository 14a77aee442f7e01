import type { Questionnaire, QuestionnaireItemAnswerOption } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import {
  SATISFACTION_QUESTIONNAIRE_URL,
  SATISFACTION_QUESTIONNAIRE_VERSION,
  SURVEY_ITEMS,
} from './survey-codes.ts';

const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
const SCORE_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/satisfaction-score';

/** One answer option: its code is the score, and the score is also its ordinal value (SDC scoring). */
function scored(score: number, display: string): QuestionnaireItemAnswerOption {
  return {
    valueCoding: {
      system: SCORE_SYSTEM,
      code: String(score),
      display,
      extension: [{ url: ORDINAL_VALUE, valueDecimal: score }],
    },
  };
}

const OVERALL = ['Very poor', 'Poor', 'Okay', 'Good', 'Very good'];

/**
 * The post-visit satisfaction survey (issue 16: its answers are the satisfaction KPI): an
 * overall score of 1–5, how likely she is to recommend the practice (0–10, the NPS question)
 * and an optional comment. Short on purpose: a phone, two minutes.
 */
export function satisfactionQuestionnaire(): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    url: SATISFACTION_QUESTIONNAIRE_URL,
    version: SATISFACTION_QUESTIONNAIRE_VERSION,
    name: 'VisitSatisfaction',
    title: 'How was your visit?',
    status: 'active',
    subjectType: ['Patient'],
    description: 'Asked a little after each visit; the answers are the practice’s satisfaction figures.',
    item: [
      {
        linkId: SURVEY_ITEMS.overall,
        type: 'choice',
        text: 'Overall, how was your visit?',
        required: true,
        answerOption: OVERALL.map((display, index) => scored(index + 1, `${index + 1} – ${display}`)),
      },
      {
        linkId: SURVEY_ITEMS.recommend,
        type: 'choice',
        text: 'How likely are you to recommend us to a friend? (0 = not at all, 10 = very likely)',
        answerOption: Array.from({ length: 11 }, (_, score) => scored(score, String(score))),
      },
      { linkId: SURVEY_ITEMS.comment, type: 'text', text: 'Anything you would like to tell us?' },
    ],
  };
}

/**
 * Stores the satisfaction Questionnaire unless this version is there already (a new clinic, the
 * demo seed, and every start: the same call twice writes nothing).
 */
export async function installSatisfactionQuestionnaire(repository: FhirRepository): Promise<string> {
  const questionnaire = satisfactionQuestionnaire();
  const { resource } = await repository.create(questionnaire, {
    ifNoneExist: `url=${questionnaire.url}&version=${questionnaire.version}`,
  });
  return resource.id;
}
