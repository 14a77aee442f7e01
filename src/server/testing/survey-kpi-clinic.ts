import type { QuestionnaireResponse, Task } from '@medplum/fhirtypes';

/**
 * A generated clinic of survey Tasks and answers (raw FHIR, as engagement and the portal write
 * them) with the satisfaction KPIs' true values counted while it is made: November 2026.
 */
const CONTEXT = 'https://throughline.dev/fhir/StructureDefinition/survey-context';
const KEY = 'https://throughline.dev/fhir/CodeSystem/engagement/visit-survey';
const CANONICAL = 'https://throughline.dev/fhir/Questionnaire/visit-satisfaction|1';
const CHANNELS = ['sms', 'email', 'whatsapp'];
const SERVICES = ['General practice', 'Lab draw'];
const LOCATIONS = ['loc-north', 'loc-south'];

/** Sums of one figure: how many, how many in the numerator. */
export interface TrueFigure {
  numerator: number;
  denominator: number;
}

export interface SurveyTruth {
  responseRate: TrueFigure;
  responseRateBy: Record<string, TrueFigure>;
  topBox: TrueFigure;
  scores: Record<string, number>;
  byTouchpoint: Record<string, TrueFigure>;
  /** Top-box at loc-north only (the location filter). */
  topBoxNorth: TrueFigure;
  meanScore: number;
}

const count = (into: Record<string, TrueFigure>, key: string, hit: boolean) => {
  const figure = (into[key] ??= { numerator: 0, denominator: 0 });
  figure.denominator += 1;
  figure.numerator += Number(hit);
};

function context(i: number, sentOn?: string) {
  return [
    {
      url: CONTEXT,
      extension: [
        { url: 'visit', valueReference: { reference: `Appointment/sv-a${i}` } },
        { url: 'touchpoint', valueCodeableConcept: { text: SERVICES[i % 2] } },
        { url: 'location', valueReference: { reference: `Location/${LOCATIONS[Math.floor(i / 2) % 2]}` } },
        ...(sentOn ? [{ url: 'channel', valueCode: sentOn }] : []),
      ],
    },
  ];
}

/** `n` surveys: every 7th never sent (a draft), every 3rd sent one unanswered; scores cycle 1–5. */
export function surveyKpiClinic(n = 40): { resources: (Task | QuestionnaireResponse)[]; truth: SurveyTruth } {
  const resources: (Task | QuestionnaireResponse)[] = [];
  const truth: SurveyTruth = {
    responseRate: { numerator: 0, denominator: 0 },
    responseRateBy: {},
    topBox: { numerator: 0, denominator: 0 },
    scores: {},
    byTouchpoint: {},
    topBoxNorth: { numerator: 0, denominator: 0 },
    meanScore: 0,
  };
  let scoreSum = 0;
  for (let i = 0; i < n; i++) {
    const patient = `sv-p${i % 12}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const sent = i % 7 !== 6;
    const answered = sent && i % 3 !== 2;
    const channel = CHANNELS[i % 3]!;
    resources.push({
      resourceType: 'Task',
      id: `sv-t${i}`,
      identifier: [{ system: KEY, value: `Appointment/sv-a${i}/Patient/${patient}` }],
      status: answered ? 'completed' : sent ? 'requested' : 'draft',
      intent: 'order',
      for: { reference: `Patient/${patient}` },
      ...(sent ? { executionPeriod: { start: `2026-11-${day}T12:00:00Z` } } : {}),
      extension: context(i, sent ? channel : undefined),
    });
    if (sent) {
      truth.responseRate.denominator += 1;
      truth.responseRate.numerator += Number(answered);
      count(truth.responseRateBy, channel, answered);
    }
    if (!answered) continue;
    const score = 1 + (i % 5);
    resources.push({
      resourceType: 'QuestionnaireResponse',
      id: `sv-r${i}`,
      questionnaire: CANONICAL,
      status: 'completed',
      subject: { reference: `Patient/${patient}` },
      authored: `2026-11-${day}T15:00:00Z`,
      item: [{ linkId: 'overall', answer: [{ valueCoding: { code: String(score) } }] }],
      extension: context(i, channel),
    });
    truth.topBox.denominator += 1;
    truth.topBox.numerator += Number(score >= 4);
    truth.scores[String(score)] = (truth.scores[String(score)] ?? 0) + 1;
    count(truth.byTouchpoint, SERVICES[i % 2]!, score >= 4);
    if (Math.floor(i / 2) % 2 === 0) {
      truth.topBoxNorth.denominator += 1;
      truth.topBoxNorth.numerator += Number(score >= 4);
    }
    scoreSum += score;
  }
  truth.meanScore = scoreSum / truth.topBox.denominator;
  return { resources, truth };
}
