import type { MedicationDispense, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { bucketsOf, type KpiWindow } from './kpi-period.ts';
import { dayMs, patientOf, type Fact, type KpiCollector, type KpiDefinition } from './kpi-model.ts';
import { coverageOf, dayNumber, fillDaysOf, type Fill } from './proportion-of-days-covered.ts';
import { adherenceExclusionOf, excludedPatients, type AdherenceExclusion } from './adherence-exclusions.ts';

/** FHIR R4 `MedicationRequest.courseOfTherapyType`: a chronic prescription is `continuous`. */
const COURSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export const adherenceKpi = 'chronic-adherence';

export const adherenceDefinitions: KpiDefinition[] = [
  {
    id: adherenceKpi,
    title: 'Chronic medications covered ≥ 80% of days (PDC)',
    kind: 'rate',
    dimensions: ['practitioner'],
    // Its facts are measured per pair in process (adherence-from-facts.ts), not joined to stages.
    personDimensions: ['cohort'],
  },
];

/** A chronic prescription: whose, which drug, who prescribed it. */
export interface ChronicPrescription {
  id: string;
  patient: string;
  drug: string;
  practitioner?: string;
}

/** A completed dispense, and the prescription it was filled for. */
export interface Dispense extends Fill {
  prescription: string;
  patient: string;
  drug: string;
}

const drugOf = (concept: MedicationRequest['medicationCodeableConcept']) =>
  concept?.coding?.find((coding) => coding.system === RXNORM)?.code ?? concept?.coding?.[0]?.code;

/** A `continuous` prescription with a patient and a coded drug; anything else is not chronic. */
export function chronicPrescriptionOf(request: MedicationRequest): ChronicPrescription | undefined {
  const continuous = request.courseOfTherapyType?.coding?.some(
    (coding) => coding.system === COURSE_SYSTEM && coding.code === 'continuous',
  );
  const patient = patientOf(request.subject?.reference);
  const drug = drugOf(request.medicationCodeableConcept);
  if (!continuous || !request.id || !patient || !drug || request.status === 'entered-in-error')
    return undefined;
  const practitioner = request.requester?.reference?.match(/^Practitioner\/([^/]+)$/)?.[1];
  return { id: request.id, patient, drug, ...(practitioner ? { practitioner } : {}) };
}

/** A `completed` dispense with a fill date, a supply in days and its prescription; anything else fills nothing. */
export function dispenseOf(dispense: MedicationDispense): Dispense | undefined {
  const patient = patientOf(dispense.subject?.reference);
  const drug = drugOf(dispense.medicationCodeableConcept);
  const prescription = dispense.authorizingPrescription
    ?.map((reference) => reference.reference?.match(/^MedicationRequest\/([^/]+)$/)?.[1])
    .find(Boolean);
  const date = dispense.whenHandedOver?.slice(0, 10);
  const daysSupply = dispense.daysSupply?.value;
  if (dispense.status !== 'completed' || !patient || !drug || !prescription || !date) return undefined;
  if (daysSupply === undefined || !(daysSupply > 0)) return undefined;
  return { prescription, patient, drug, date, daysSupply };
}

/** A measurement period of the KPI: which bucket it stands for, first and last day included. */
export interface AdherencePeriod {
  key: string;
  start: string;
  end: string;
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The year before a day, that day included (12 months: 2025-12-01 … 2026-11-30). */
function yearEndingOn(end: string): string {
  const date = new Date(`${end}T00:00:00Z`);
  return isoDay(Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), date.getUTCDate()) + dayMs);
}

/**
 * Each bucket's measurement period: the 12 months ending on its last day, or today while the
 * bucket is still running (days not lived yet are not missed doses); a bucket wholly after today has none.
 */
export function rollingPeriods(window: KpiWindow, now: Date): AdherencePeriod[] {
  const today = isoDay(now.getTime());
  return bucketsOf(window).flatMap((bucket) => {
    if (bucket.start > today) return [];
    const last = isoDay(Date.parse(`${bucket.end}T00:00:00Z`) - dayMs);
    const end = last < today ? last : today;
    return [{ key: bucket.key, start: yearEndingOn(end), end }];
  });
}

/** The earliest day any of the periods reads fills from. */
export const firstDayOf = (periods: AdherencePeriod[]) =>
  periods.reduce((first, period) => (period.start < first ? period.start : first), '9999-12-31');

/**
 * One fact per patient–drug pair in each period's denominator (PQA: ≥ 2 fills on different days,
 * the first ≥ 91 days before the end), dated on the period's last day, in the numerator when the
 * PDC is ≥ 80%, grouped by drug and carrying the prescriber of the pair's last fill. Only fills of
 * chronic prescriptions count.
 */
export function adherenceFacts(input: {
  prescriptions: ChronicPrescription[];
  dispenses: Dispense[];
  periods: AdherencePeriod[];
  /** PQA's exclusions: a patient in hospice or with ESRD in a period is not measured in it. */
  exclusions: AdherenceExclusion[];
}): Fact[] {
  const chronic = new Map(input.prescriptions.map((prescription) => [prescription.id, prescription]));
  const pairs = fillsByPair(chronic, input.dispenses);
  // Day numbers and exclusions once per period, fills once per pair: not again for each pair × period.
  const periods = input.periods.map((period) => ({
    end: period.end,
    days: { first: dayNumber(period.start), last: dayNumber(period.end) },
    excluded: excludedPatients(input.exclusions, period),
  }));
  const facts: Fact[] = [];
  for (const { patient, drug, fills } of pairs.values()) {
    const measured = periods.filter((period) => !period.excluded.has(patient));
    if (measured.length === 0) continue;
    const fillDays = fillDaysOf(fills);
    // In date order, ties in arrival order: the pair's last fill up to a day is the last one not after it.
    const byDate = [...fills].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const period of measured) {
      const covered = coverageOf(fillDays, period.days);
      if (!covered.eligible) continue;
      const last = byDate.findLast((fill) => fill.date <= period.end);
      const practitioner = last ? chronic.get(last.prescription)?.practitioner : undefined;
      facts.push({
        kpi: adherenceKpi,
        at: period.end,
        patient,
        inNumerator: covered.adherent,
        group: drug,
        ...(practitioner ? { practitioner } : {}),
      });
    }
  }
  return facts;
}

/** The fills of chronic prescriptions, per patient–drug pair. */
function fillsByPair(chronic: Map<string, ChronicPrescription>, dispenses: Dispense[]) {
  const pairs = new Map<string, { patient: string; drug: string; fills: Dispense[] }>();
  for (const dispense of dispenses) {
    if (!chronic.has(dispense.prescription)) continue;
    const key = `${dispense.patient} ${dispense.drug}`;
    const pair = pairs.get(key) ?? { patient: dispense.patient, drug: dispense.drug, fills: [] };
    pair.fills.push(dispense);
    pairs.set(key, pair);
  }
  return pairs;
}

/** Chronic-care adherence from the prescriptions and dispenses, per bucket of the window (see README). */
export function adherenceKpis(): KpiCollector {
  const prescriptions: ChronicPrescription[] = [];
  const dispenses: Dispense[] = [];
  const exclusions: AdherenceExclusion[] = [];
  return {
    types: ['MedicationRequest', 'MedicationDispense', 'Condition', 'Encounter'],
    kpis: adherenceDefinitions,
    add(resource: Resource) {
      const exclusion = adherenceExclusionOf(resource);
      if (exclusion) exclusions.push(exclusion);
      const prescription =
        resource.resourceType === 'MedicationRequest' ? chronicPrescriptionOf(resource) : undefined;
      if (prescription) prescriptions.push(prescription);
      const dispense = resource.resourceType === 'MedicationDispense' ? dispenseOf(resource) : undefined;
      if (dispense) dispenses.push(dispense);
    },
    facts: (now, window) =>
      window
        ? adherenceFacts({ prescriptions, dispenses, exclusions, periods: rollingPeriods(window, now) })
        : [],
  };
}
