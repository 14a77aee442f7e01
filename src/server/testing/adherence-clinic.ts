import type {
  Condition,
  Encounter,
  MedicationDispense,
  MedicationRequest,
  Patient,
} from '@medplum/fhirtypes';

/**
 * A generated clinic of chronic prescriptions and pharmacy fills (raw FHIR, as a pharmacy feed
 * writes them) with chronic-care adherence's true values worked out while it is made, for the
 * year 2025-12-01 … 2026-11-30 (the month 2026-11 of the KPI). Fills of one drug never overlap,
 * so the days covered are the supplies' days up to the period's end, counted here directly.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const COURSE = 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy';
const DRUGS = ['860975', '314076'];
const PERIOD_START = Date.UTC(2025, 11, 1);
const PERIOD_END = Date.UTC(2026, 10, 30);
const dayMs = 86_400_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

export interface TrueFigure {
  numerator: number;
  denominator: number;
}

export interface AdherenceTruth {
  all: TrueFigure;
  byDrug: Record<string, TrueFigure>;
  /** The pairs whose last fill dr-a prescribed. */
  drA: TrueFigure;
  /** Patients with a pair at PDC ≥ 80%, and with any pair measured. */
  adherentPatients: string[];
  measuredPatients: string[];
  /** Patients with pairs that would be measured, left out by PQA's exclusions (ESRD, hospice). */
  excludedPatients: string[];
}

type Resource = Patient | MedicationRequest | MedicationDispense | Condition | Encounter;

const count = (figure: TrueFigure, hit: boolean) => {
  figure.denominator += 1;
  figure.numerator += Number(hit);
};

/** A small deterministic generator (no Math.random: the same clinic every run). */
function seeded(seed: number) {
  let state = seed;
  return (max: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor(state / 2 ** 15) % (max + 1);
  };
}

function request(id: string, patient: string, how: { drug: string; chronic: boolean; prescriber: string }) {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    ...(how.chronic ? { courseOfTherapyType: { coding: [{ system: COURSE, code: 'continuous' }] } } : {}),
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: how.drug }] },
    subject: { reference: `Patient/${patient}` },
    requester: { reference: `Practitioner/${how.prescriber}` },
  } satisfies MedicationRequest;
}

function dispense(id: string, of: MedicationRequest, fill: { at: number; supply: number; status?: string }) {
  return {
    resourceType: 'MedicationDispense',
    id,
    status: (fill.status ?? 'completed') as MedicationDispense['status'],
    medicationCodeableConcept: of.medicationCodeableConcept,
    subject: of.subject,
    authorizingPrescription: [{ reference: `MedicationRequest/${of.id}` }],
    daysSupply: { value: fill.supply, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
    whenHandedOver: `${day(fill.at)}T10:00:00Z`,
  } satisfies MedicationDispense;
}

const esrd = (patient: string, span: { onset: number; abated?: number }): Condition => ({
  resourceType: 'Condition',
  id: `adh-esrd-${patient}`,
  subject: { reference: `Patient/${patient}` },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N18.6' }] },
  clinicalStatus: {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
        code: span.abated ? 'resolved' : 'active',
      },
    ],
  },
  onsetDateTime: day(span.onset),
  ...(span.abated ? { abatementDateTime: day(span.abated) } : {}),
});

const hospice = (patient: string, stay: { status: Encounter['status']; start: number }): Encounter => ({
  resourceType: 'Encounter',
  id: `adh-hospice-${patient}`,
  status: stay.status,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HH' },
  type: [{ coding: [{ system: 'http://snomed.info/sct', code: '385763009' }] }],
  subject: { reference: `Patient/${patient}` },
  period: { start: `${day(stay.start)}T09:00:00Z`, end: `${day(stay.start + 15 * dayMs)}T09:00:00Z` },
});

/**
 * PQA's exclusions, by patient (i % 10): 1 has ESRD from inside the year, 6 a hospice stay in it
 * (both excluded); 8 had ESRD that abated before the year, 4 a hospice stay entered in error
 * (both still measured).
 */
function exclusionsOf(i: number, patient: string): { resources: Resource[]; excluded: boolean } {
  const inYear = PERIOD_START + 100 * dayMs;
  if (i % 10 === 1) return { resources: [esrd(patient, { onset: inYear })], excluded: true };
  if (i % 10 === 6)
    return { resources: [hospice(patient, { status: 'finished', start: inYear })], excluded: true };
  if (i % 10 === 8)
    return {
      resources: [esrd(patient, { onset: PERIOD_START - 400 * dayMs, abated: PERIOD_START - 30 * dayMs })],
      excluded: false,
    };
  if (i % 10 === 4)
    return { resources: [hospice(patient, { status: 'entered-in-error', start: inYear })], excluded: false };
  return { resources: [], excluded: false };
}

/**
 * `n` patients, each on one or two chronic drugs: 30-day fills from a first fill somewhere in the
 * year, each refill 0–5 days after the last ran out (every fourth patient: 0–40). Patient i % 7 = 3 starts too late (< 91 days
 * before the end: not measured), i % 11 = 5 fills once (not measured); every patient also has an
 * acute prescription filled twice and a cancelled fill, neither of which counts.
 */
export function adherenceClinic(n = 30): { resources: Resource[]; truth: AdherenceTruth } {
  const random = seeded(20_261_130);
  const resources: Resource[] = [];
  const truth: AdherenceTruth = {
    ...{ all: { numerator: 0, denominator: 0 }, byDrug: {}, drA: { numerator: 0, denominator: 0 } },
    ...{ adherentPatients: [], measuredPatients: [], excludedPatients: [] },
  };
  for (let i = 0; i < n; i += 1) {
    const patient = `adh-p${i}`;
    resources.push({ resourceType: 'Patient', id: patient, name: [{ family: `Fill${i}`, given: ['Pat'] }] });
    const exclusions = exclusionsOf(i, patient);
    resources.push(...exclusions.resources);
    const drugs = i % 3 === 0 ? DRUGS : [DRUGS[i % 2]!];
    for (const [d, drug] of drugs.entries()) {
      const prescriber = (i + d) % 2 === 0 ? 'dr-a' : 'dr-b';
      const chronic = request(`adh-r${i}-${d}`, patient, { drug, chronic: true, prescriber });
      resources.push(chronic);
      const first = i % 7 === 3 ? PERIOD_END - 60 * dayMs : PERIOD_START + random(250) * dayMs;
      const fills: number[] = [];
      for (let at = first; at <= PERIOD_END && fills.length < (i % 11 === 5 ? 1 : 99);) {
        fills.push(at);
        at += (30 + random(i % 4 === 3 ? 40 : 5)) * dayMs;
      }
      fills.forEach((at, f) => resources.push(dispense(`adh-d${i}-${d}-${f}`, chronic, { at, supply: 30 })));
      const covered = fills.reduce((sum, at) => sum + Math.min(30, (PERIOD_END - at) / dayMs + 1), 0);
      const treatment = (PERIOD_END - first) / dayMs + 1;
      if (fills.length < 2 || treatment - 1 < 91) continue;
      if (exclusions.excluded) {
        truth.excludedPatients.push(patient);
        continue;
      }
      const adherent = covered / treatment >= 0.8;
      count(truth.all, adherent);
      count((truth.byDrug[drug] ??= { numerator: 0, denominator: 0 }), adherent);
      if (prescriber === 'dr-a') count(truth.drA, adherent);
      truth.measuredPatients.push(patient);
      if (adherent) truth.adherentPatients.push(patient);
    }
    const acute = request(`adh-r${i}-acute`, patient, { drug: '197361', chronic: false, prescriber: 'dr-a' });
    resources.push(acute);
    for (const f of [0, 1])
      resources.push(
        dispense(`adh-d${i}-acute-${f}`, acute, { at: PERIOD_START + (40 + f * 30) * dayMs, supply: 30 }),
      );
    const first = resources.find((r) => r.id === `adh-r${i}-0`) as MedicationRequest;
    resources.push(
      dispense(`adh-d${i}-cancelled`, first, { at: PERIOD_END - 5 * dayMs, supply: 90, status: 'cancelled' }),
    );
  }
  truth.adherentPatients = [...new Set(truth.adherentPatients)].sort();
  truth.measuredPatients = [...new Set(truth.measuredPatients)].sort();
  truth.excludedPatients = [...new Set(truth.excludedPatients)].sort();
  return { resources, truth };
}
