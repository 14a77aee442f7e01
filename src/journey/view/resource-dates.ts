import type { Observation, Resource } from '@medplum/fhirtypes';

/**
 * The clinically meaningful date of a resource (when it happened, not when it was stored),
 * used to order the timeline; `meta.lastUpdated` is the fallback.
 */
const datePaths: Record<string, string[]> = {
  Observation: ['effectiveDateTime', 'effectivePeriod.start', 'issued'],
  DiagnosticReport: ['effectiveDateTime', 'effectivePeriod.start', 'issued'],
  Encounter: ['period.start'],
  Condition: ['onsetDateTime', 'recordedDate'],
  Procedure: ['performedDateTime', 'performedPeriod.start'],
  MedicationRequest: ['authoredOn'],
  Immunization: ['occurrenceDateTime'],
  AllergyIntolerance: ['recordedDate', 'onsetDateTime'],
  Appointment: ['start', 'created'],
  Communication: ['sent', 'received'],
  CommunicationRequest: ['occurrenceDateTime', 'authoredOn'],
  ServiceRequest: ['authoredOn', 'occurrenceDateTime'],
  Claim: ['created', 'billablePeriod.start'],
  ExplanationOfBenefit: ['created', 'billablePeriod.start'],
  ChargeItem: ['occurrenceDateTime'],
  DocumentReference: ['date'],
  QuestionnaireResponse: ['authored'],
  Task: ['authoredOn'],
  Consent: ['dateTime'],
  CarePlan: ['period.start', 'created'],
  EpisodeOfCare: ['period.start'],
  Flag: ['period.start'],
  Coverage: ['period.start'],
};

function at(resource: unknown, path: string): string | undefined {
  const value = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], resource);
  return typeof value === 'string' ? value : undefined;
}

export function resourceDate(resource: Resource): string {
  for (const path of datePaths[resource.resourceType] ?? []) {
    const value = at(resource, path);
    if (value) return value;
  }
  return resource.meta?.lastUpdated ?? '';
}

/** Timeline categories, as a front desk and a clinician think of them. */
export function categoryOf(resource: Resource): string {
  if (resource.resourceType === 'Observation') return observationCategory(resource);
  return categoryByType[resource.resourceType] ?? 'clinical';
}

const categoryByType: Record<string, string> = {
  DiagnosticReport: 'labs',
  ServiceRequest: 'labs',
  ImagingStudy: 'labs',
  Claim: 'billing',
  ExplanationOfBenefit: 'billing',
  Coverage: 'billing',
  ChargeItem: 'billing',
  Account: 'billing',
  Communication: 'engagement',
  CommunicationRequest: 'engagement',
  QuestionnaireResponse: 'patient-reported',
  Appointment: 'appointments',
  Task: 'tasks',
  EpisodeOfCare: 'journey',
  Flag: 'journey',
  Consent: 'administrative',
  Patient: 'administrative',
  Provenance: 'administrative',
};

function observationCategory(observation: Observation): string {
  const codes = (observation.category ?? [])
    .flatMap((category) => category.coding ?? [])
    .map((coding) => coding.code);
  if (codes.includes('laboratory')) return 'labs';
  if (codes.includes('social-history') || codes.includes('sdoh')) return 'social';
  if (codes.includes('survey')) return 'patient-reported';
  return 'clinical';
}
