import type { EpisodeOfCare, Patient, Resource } from '@medplum/fhirtypes';
import type { KpiFactRow } from '../../store/index.ts';
import type { Fact } from './kpi-model.ts';
import { patientOf } from './kpi-model.ts';

/** How src/journey writes a patient's place in a journey (its README): repeated here, not imported. */
const EPISODE_IDENTIFIER = 'https://throughline.dev/fhir/journey/episode';
const JOURNEY_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/journey';
const STAGE_EXTENSION = 'https://throughline.dev/fhir/StructureDefinition/journey-stage';

/** The journey the stage-grouped KPIs use: the customer's journey (awareness … continuous care). */
export const groupingJourney = 'patient-journey';

/** One stage period of one journey, on the person the episode is on (a golden record when linked). */
export interface StagePeriod {
  person: string;
  /** `journey/stage`, the value a journey filter selects on. */
  stage: string;
  start: string;
  end?: string;
}

/** The stage periods an episode records (none for anything else, or one in error). */
export function stagePeriodsOf(resource: Resource): StagePeriod[] {
  if (resource.resourceType !== 'EpisodeOfCare') return [];
  const episode = resource as EpisodeOfCare;
  const isJourney = episode.identifier?.some((id) => id.system === EPISODE_IDENTIFIER) ?? false;
  const journey = episode.type?.flatMap((type) => type.coding ?? []).find((c) => c.system === JOURNEY_SYSTEM);
  const person = patientOf(episode.patient?.reference);
  if (!isJourney || !journey?.code || !person || episode.status === 'entered-in-error') return [];
  return (episode.extension ?? []).flatMap((extension) => {
    if (extension.url !== STAGE_EXTENSION) return [];
    const stage = extension.extension?.find((part) => part.url === 'stage')?.valueCoding?.code;
    const period = extension.extension?.find((part) => part.url === 'period')?.valuePeriod;
    if (!stage || !period?.start || Number.isNaN(Date.parse(period.start))) return [];
    const end = period.end && !Number.isNaN(Date.parse(period.end)) ? { end: iso(period.end) } : {};
    return [{ person, stage: `${journey.code}/${stage}`, start: iso(period.start), ...end }];
  });
}

const iso = (at: string) => new Date(Date.parse(at)).toISOString();

/** The golden record a source record refers to (identity's `link` type `refer`). */
export function goldenOf(patient: Patient): string | undefined {
  const reference = patient.link?.find((link) => link.type === 'refer')?.other?.reference;
  return reference?.startsWith('Patient/') ? reference.slice('Patient/'.length) : undefined;
}

/** The facts kept for the stage dimension: an episode's periods, numbered; a linked record's golden record. */
export function stageRows(resource: Resource): KpiFactRow[] {
  if (resource.resourceType === 'Patient') {
    const golden = goldenOf(resource as Patient);
    return golden ? [{ kind: 'golden-record', link: golden, numerator: false }] : [];
  }
  return stagePeriodsOf(resource).map((period, seq) => ({
    kind: 'journey-stage',
    seq,
    patient: period.person,
    group: period.stage,
    at: period.start,
    ...(period.end ? { until: period.end } : {}),
    numerator: false,
  }));
}

/**
 * Where each person was, for the full read (the reference the kept sums are checked against),
 * fed every Patient and EpisodeOfCare: the stages (`journey/stage`) of a record's person at an
 * instant, by the rule of the SQL (`src/store/kpi-facts/journey-stage-sql.ts`): the period that
 * holds it.
 */
export function stageCollector() {
  const golden = new Map<string, string>();
  const periods = new Map<string, StagePeriod[]>();
  const add = (resource: Resource) => {
    const linked = resource.resourceType === 'Patient' ? goldenOf(resource as Patient) : undefined;
    if (linked) golden.set(resource.id!, linked);
    for (const period of stagePeriodsOf(resource))
      periods.set(period.person, [...(periods.get(period.person) ?? []), period]);
  };
  const stagesAt = (patient: string | undefined, at: string): string[] => {
    if (!patient) return [];
    const time = Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at);
    return (periods.get(golden.get(patient) ?? patient) ?? [])
      .filter((p) => Date.parse(p.start) <= time && (p.end === undefined || time < Date.parse(p.end)))
      .map((p) => p.stage);
  };
  return { types: ['Patient', 'EpisodeOfCare'], add, stagesAt };
}

/** A stage-grouped fact's group: its stage code in the patient journey, else `none`. */
export function stageGroupOf(stages: string[]): string {
  const inJourney = stages.find((stage) => stage.startsWith(`${groupingJourney}/`));
  return inJourney ? inJourney.slice(groupingJourney.length + 1) : 'none';
}

/** Facts with the stages their person was in at their instant; the stage-grouped KPIs' facts grouped by them. */
export function withStages(
  facts: Fact[],
  input: { stagesAt: ReturnType<typeof stageCollector>['stagesAt']; stageGrouped: string[] },
): Fact[] {
  return facts.map((fact) => {
    const stages = input.stagesAt(fact.patient, fact.at);
    return input.stageGrouped.includes(fact.kpi)
      ? { ...fact, stages, group: stageGroupOf(stages) }
      : { ...fact, stages };
  });
}
