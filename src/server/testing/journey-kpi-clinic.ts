import type {
  EpisodeOfCare,
  Group,
  Patient,
  QuestionnaireResponse,
  Resource,
  Task,
} from '@medplum/fhirtypes';
import { surveyKpiClinic, type TrueFigure } from './survey-kpi-clinic.ts';
import { COHORT_SEARCH_URL } from '../../analytics/index.ts';

/**
 * The survey clinic (`survey-kpi-clinic.ts`) with where each patient was in their journeys, as
 * the journey engine writes it (EpisodeOfCare stage periods), a golden record, and a cohort
 * Group, and the true figures per stage and cohort counted from the same numbers. November 2026.
 */
const EPISODE = 'https://throughline.dev/fhir/journey/episode';
const JOURNEY = 'https://throughline.dev/fhir/CodeSystem/journey';
const STAGE = 'https://throughline.dev/fhir/StructureDefinition/journey-stage';
const GOLDEN_TAG = { system: 'https://throughline.dev/fhir/CodeSystem/identity', code: 'golden' };

/** Patient sv-p9 is a source record of the golden record sv-gold: its journeys are on sv-gold. */
const personOf = (patient: string) => (patient === 'sv-p9' ? 'sv-gold' : patient);
/** Patients with no journey at all (their answers are in stage `none`). */
const outside = new Set(['sv-p3']);
/** The cohort's members: six records and the golden record (so sv-p9's record counts). */
export const cohortMembers = ['sv-p0', 'sv-p1', 'sv-p2', 'sv-p4', 'sv-p5', 'sv-p7', 'sv-gold'];

export interface JourneyTruth {
  /** Patient journey: top-box and response rate grouped by the stage at the time (`none` outside it). */
  satisfactionByStage: Record<string, TrueFigure>;
  responseByStage: Record<string, TrueFigure>;
  responseByTouchpoint: Record<string, TrueFigure>;
  /** Top-box of the answers whose person was in chronic care when answering. */
  topBoxChronic: TrueFigure;
  /** Top-box of the answers given in the booking stage of the patient journey. */
  topBoxBooking: TrueFigure;
  /** Top-box of the cohort's answers. */
  topBoxCohort: TrueFigure;
  /** The patients (records) behind the cohort's top-box numerator. */
  cohortNumeratorPatients: string[];
}

/** Day of November the person moves from booking to diagnosis-treatment (`shift` moves it). */
const boundaryDay = (patient: string, shift: number) => 5 + (Number(patient.slice(4)) % 4) * 5 + shift;

function stagePeriod(journey: string, stage: string, start: string, end?: string) {
  return {
    url: STAGE,
    extension: [
      { url: 'stage', valueCoding: { system: `${JOURNEY}-stage/${journey}`, code: stage } },
      { url: 'period', valuePeriod: end ? { start, end } : { start } },
    ],
  };
}

function episode(person: string, journey: string, periods: ReturnType<typeof stagePeriod>[]): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    id: `sv-e-${person}-${journey}`,
    identifier: [{ system: EPISODE, value: `${person}/${journey}` }],
    status: 'active',
    type: [{ coding: [{ system: JOURNEY, code: journey }] }],
    patient: { reference: `Patient/${person}` },
    extension: periods,
  };
}

/** Each person's episodes: the patient journey (booking, then diagnosis and treatment) and, for even patients, chronic care. */
export function episodesOf(shift = 0): EpisodeOfCare[] {
  const episodes: EpisodeOfCare[] = [];
  for (let p = 0; p < 12; p++) {
    const patient = `sv-p${p}`;
    if (outside.has(patient)) continue;
    const person = personOf(patient);
    const boundary = `2026-11-${String(boundaryDay(patient, shift)).padStart(2, '0')}T00:00:00.000Z`;
    episodes.push(
      episode(person, 'patient-journey', [
        stagePeriod('patient-journey', 'booking', '2026-10-01T00:00:00.000Z', boundary),
        stagePeriod('patient-journey', 'diagnosis-treatment', boundary),
      ]),
    );
    if (p % 2 === 0)
      episodes.push(
        episode(person, 'chronic-care', [
          stagePeriod('chronic-care', 'monitored', '2026-09-01T00:00:00.000Z'),
        ]),
      );
  }
  return episodes;
}

const count = (into: Record<string, TrueFigure>, key: string, hit: boolean) => {
  const figure = (into[key] ??= { numerator: 0, denominator: 0 });
  figure.denominator += 1;
  figure.numerator += Number(hit);
};
const tally = (figure: TrueFigure, hit: boolean) => {
  figure.denominator += 1;
  figure.numerator += Number(hit);
};

/** The patient-journey stage of a patient at an instant, by the same boundaries. */
function stageAt(patient: string, at: string, shift: number): string {
  if (outside.has(patient)) return 'none';
  const day = Number(at.slice(8, 10));
  return day < boundaryDay(patient, shift) ? 'booking' : 'diagnosis-treatment';
}

/** The true figures of the survey answers and invitations by stage, journey and cohort. */
function truthOf(resources: Resource[], shift: number): JourneyTruth {
  const truth: JourneyTruth = {
    ...{ satisfactionByStage: {}, responseByStage: {}, responseByTouchpoint: {} },
    topBoxChronic: { numerator: 0, denominator: 0 },
    topBoxBooking: { numerator: 0, denominator: 0 },
    topBoxCohort: { numerator: 0, denominator: 0 },
    cohortNumeratorPatients: [],
  };
  const inCohort = (patient: string) =>
    cohortMembers.includes(personOf(patient)) || cohortMembers.includes(patient);
  const numerators = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType === 'Task' && resource.executionPeriod?.start) {
      const patient = resource.for!.reference!.slice('Patient/'.length);
      const answered = resource.status === 'completed';
      count(truth.responseByStage, stageAt(patient, resource.executionPeriod.start, shift), answered);
      const touchpoint = resource.extension![0]!.extension!.find((e) => e.url === 'touchpoint')!;
      count(truth.responseByTouchpoint, touchpoint.valueCodeableConcept!.text!, answered);
    }
    if (resource.resourceType !== 'QuestionnaireResponse') continue;
    const patient = resource.subject!.reference!.slice('Patient/'.length);
    const top = Number(resource.item![0]!.answer![0]!.valueCoding!.code) >= 4;
    const stage = stageAt(patient, resource.authored!, shift);
    count(truth.satisfactionByStage, stage, top);
    if (stage === 'booking') tally(truth.topBoxBooking, top);
    if (!outside.has(patient) && Number(patient.slice(4)) % 2 === 0) tally(truth.topBoxChronic, top);
    if (inCohort(patient)) {
      tally(truth.topBoxCohort, top);
      if (top) numerators.add(patient);
    }
  }
  truth.cohortNumeratorPatients = [...numerators].sort();
  return truth;
}

/** The clinic; `shift` moves every stage boundary by that many days (the same clinic, journeys recomputed). */
export function journeyKpiClinic(shift = 0): { resources: Resource[]; truth: JourneyTruth } {
  const surveys = surveyKpiClinic(40).resources as (Task | QuestionnaireResponse)[];
  const golden: Patient = {
    resourceType: 'Patient',
    id: 'sv-gold',
    meta: { tag: [GOLDEN_TAG] },
    link: [{ type: 'seealso', other: { reference: 'Patient/sv-p9' } }],
  };
  const member: Patient = {
    resourceType: 'Patient',
    id: 'sv-p9',
    link: [{ type: 'refer', other: { reference: 'Patient/sv-gold' } }],
  };
  const cohort: Group = {
    resourceType: 'Group',
    id: 'sv-cohort',
    type: 'person',
    actual: true,
    member: cohortMembers.map((id) => ({ entity: { reference: `Patient/${id}` } })),
  };
  // The same people as a saved search: whoever it finds when the KPIs are asked.
  const savedSearch: Group = {
    resourceType: 'Group',
    id: 'sv-saved-search',
    type: 'person',
    actual: false,
    extension: [{ url: COHORT_SEARCH_URL, valueString: `Patient?_id=${cohortMembers.join(',')}` }],
  };
  // Records to drill down to (the patients behind a figure are read as the caller).
  const records: Patient[] = Array.from({ length: 11 }, (_, p) => ({
    resourceType: 'Patient',
    id: `sv-p${p}`,
  }));
  const resources = [...surveys, ...episodesOf(shift), ...records, golden, member, cohort, savedSearch];
  return { resources, truth: truthOf(surveys, shift) };
}
