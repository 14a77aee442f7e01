import type { CodeableConcept, Condition, MedicationRequest } from '@medplum/fhirtypes';
import { dateOf, emit, ref, type ClinicContext } from './clinic-context.ts';
import { recordDispenses } from './dispenses.ts';
import type { Journey } from './journey-state.ts';
import type { Visit } from './visits.ts';
import { conditions, medications, type ConditionDefinition } from './vocabulary/clinical-codes.ts';
import { coding, concept, systems } from './vocabulary/terminology.ts';

/** Chronic conditions by age: prevalence applies from 40, half of it below, a tenth for children. */
export function chooseConditions(ctx: ClinicContext, age: number): ConditionDefinition[] {
  const factor = age >= 40 ? 1 : age >= 18 ? 0.5 : 0.1;
  return conditions.filter((definition) => {
    const prevalence = definition.key === 'asthma' ? definition.prevalence : definition.prevalence * factor;
    return ctx.random.chance(prevalence);
  });
}

/** A condition the doctor diagnosed at a visit. */
export interface Diagnosis {
  definition: ConditionDefinition;
  visit: Visit;
}

/** The problem-list entry, coded in SNOMED CT (clinical) and ICD-10-CM (billing). */
export function recordCondition(
  ctx: ClinicContext,
  journey: Journey,
  { definition, visit }: Diagnosis,
): void {
  const code = {
    coding: [coding(systems.snomed, ...definition.snomed), coding(systems.icd10, ...definition.icd10)],
    text: definition.snomed[1],
  };
  recordDiagnosedCondition(ctx, journey, { visit, code, listedAs: 'problem' });
  for (const key of definition.medications)
    prescribe(ctx, journey, { medicationKey: key, visit, reason: definition });
}

/**
 * How a diagnosis stands: a confirmed entry of the problem list, or the provisional diagnosis
 * of one visit (FHIR `condition-ver-status`, `condition-category`).
 */
type CodeDisplay = [code: string, display: string];
const listings: Record<'problem' | 'visit', { verification: CodeDisplay; category: CodeDisplay }> = {
  problem: { verification: ['confirmed', 'Confirmed'], category: ['problem-list-item', 'Problem List Item'] },
  visit: {
    verification: ['provisional', 'Provisional'],
    category: ['encounter-diagnosis', 'Encounter Diagnosis'],
  },
};

/** An active Condition the journey's doctor diagnosed at `visit`, for the patient's GP record. */
export function recordDiagnosedCondition(
  ctx: ClinicContext,
  journey: Journey,
  diagnosis: { visit: Visit; code: CodeableConcept; listedAs: keyof typeof listings },
): void {
  const { visit, code } = diagnosis;
  const { verification, category } = listings[diagnosis.listedAs];
  emit<Condition>(ctx, {
    resourceType: 'Condition',
    clinicalStatus: concept(systems.conditionClinical, 'active', 'Active'),
    verificationStatus: concept(systems.conditionVerification, ...verification),
    category: [concept(systems.conditionCategory, ...category)],
    code,
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    onsetDateTime: visit.start,
    recordedDate: visit.start,
    recorder: ref(journey.doctor),
  });
}

/** A medication prescribed at a visit for a condition. */
interface Prescription {
  /** Key into the medication vocabulary (`metformin`, …). */
  medicationKey: string;
  visit: Visit;
  reason: ConditionDefinition;
}

/** An RxNorm-coded prescription; some were stopped since, which adherence views must show. */
function prescribe(
  ctx: ClinicContext,
  journey: Journey,
  { medicationKey, visit, reason }: Prescription,
): void {
  const medication = medications[medicationKey];
  if (!medication) return;
  const stopped = ctx.random.chance(0.12);
  // Taken every day for good (a rescue inhaler is taken as needed): what adherence measures.
  const chronic = !medication.dosage.includes('as needed');
  const request = emit<MedicationRequest>(ctx, {
    resourceType: 'MedicationRequest',
    status: stopped ? 'stopped' : 'active',
    intent: 'order',
    courseOfTherapyType: chronic
      ? concept(systems.courseOfTherapy, 'continuous', 'Continuous long term therapy')
      : undefined,
    medicationCodeableConcept: concept(systems.rxnorm, medication.rxnorm, medication.display),
    subject: ref(journey.gp),
    encounter: ref(visit.encounter),
    authoredOn: visit.start,
    requester: ref(journey.doctor),
    reasonCode: [concept(systems.snomed, ...reason.snomed)],
    dosageInstruction: [{ text: medication.dosage }],
    dispenseRequest: {
      validityPeriod: { start: dateOf(visit.start) },
      numberOfRepeatsAllowed: ctx.random.int(1, 5),
      expectedSupplyDuration: { value: 30, unit: 'days', system: systems.ucum, code: 'd' },
    },
  });
  if (chronic) recordDispenses(ctx, request, stopped);
}
