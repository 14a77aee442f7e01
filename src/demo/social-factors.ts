import type { Observation, QuestionnaireResponse } from '@medplum/fhirtypes';
import { emit, ref, type ClinicContext } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import { medications } from './vocabulary/clinical-codes.ts';
import { concept, systems } from './vocabulary/terminology.ts';

/** Social-needs screening questions (LOINC) with their LOINC answer codes; the first answer is the need. */
const screening = [
  {
    question: [
      '93030-5',
      'Has lack of transportation kept you from medical appointments, meetings, work, or from getting things needed for daily living',
    ],
    answers: [
      ['LA33-6', 'Yes', 0.12],
      ['LA32-8', 'No', 0.88],
    ],
  },
  {
    question: ['71802-3', 'Housing status'],
    answers: [
      ['LA31994-9', 'I do not have housing', 0.04],
      ['LA31993-1', 'I have housing', 0.96],
    ],
  },
  {
    question: [
      '88122-7',
      'Within the past 12 months we worried whether our food would run out before we got money to buy more',
    ],
    answers: [
      ['LA28397-0', 'Often true', 0.07],
      ['LA28398-8', 'Sometimes true', 0.13],
      ['LA28399-6', 'Never true', 0.8],
    ],
  },
] as const;

/** Social factors as `social-history` Observations answering the screening questions. */
export function recordSocialScreening(ctx: ClinicContext, journey: Journey, at: string): void {
  for (const { question, answers } of screening) {
    const [code, display] = ctx.random.weighted(answers.map(([c, d, weight]) => [[c, d], weight] as const));
    emit<Observation>(ctx, {
      resourceType: 'Observation',
      status: 'final',
      category: [concept(systems.observationCategory, 'social-history', 'Social History')],
      code: concept(systems.loinc, question[0], question[1]),
      subject: ref(journey.gp),
      effectiveDateTime: at,
      valueCodeableConcept: concept(systems.loinc, code, display),
    });
  }
}

/** When the patient filled in the intake form, and the reason for the visit they gave. */
export interface IntakeAnswers {
  at: string;
  reason: string;
}

/** The intake form the patient filled in on the portal before their first visit. */
export function recordIntakeForm(ctx: ClinicContext, journey: Journey, { at, reason }: IntakeAnswers): void {
  const form = ctx.directory.intakeForm;
  const taking = journey.conditions.flatMap((c) =>
    c.medications.map((key) => medications[key]?.display ?? key),
  );
  const channel = { sms: 'SMS', email: 'Email', phone: 'Phone' }[journey.person.channel];
  emit<QuestionnaireResponse>(ctx, {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `${form.url}|${form.version}`,
    status: 'completed',
    subject: ref(journey.gp),
    authored: at,
    author: ref(journey.gp),
    source: ref(journey.gp),
    item: [
      { linkId: 'reason', text: 'What brings you in today?', answer: [{ valueString: reason }] },
      {
        linkId: 'medications',
        text: 'Which medications do you take?',
        answer: [{ valueString: taking.length > 0 ? taking.join('; ') : 'None' }],
      },
      { linkId: 'smoker', text: 'Do you smoke?', answer: [{ valueBoolean: ctx.random.chance(0.14) }] },
      { linkId: 'channel', text: 'How should we contact you?', answer: [{ valueString: channel }] },
    ],
  });
}
