import { conceptText, formatDate } from './format.ts';
import type { CodeableConcept, Quantity, Resource } from './types.ts';

/** One line for any resource in a list or the timeline: what it is, and its key detail. */
export interface Described {
  title: string;
  detail?: string;
}

const field = <T>(resource: Resource, name: string) => resource[name] as T | undefined;

function quantityText(quantity: Quantity | undefined): string | undefined {
  if (quantity?.value === undefined) return undefined;
  return `${quantity.value} ${quantity.unit ?? quantity.code ?? ''}`.trim();
}

/** `https://…/Questionnaire/intake|1` → "Intake questionnaire". */
function questionnaireName(canonical: string | undefined): string {
  const name = canonical?.split('|')[0]?.split('/').pop()?.replace(/[-_]/g, ' ');
  return name ? `${name.charAt(0).toUpperCase()}${name.slice(1)} questionnaire` : 'Questionnaire';
}

const describers: Record<string, (resource: Resource) => Described> = {
  Observation: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'code')) ?? 'Observation',
    detail:
      quantityText(field<Quantity>(r, 'valueQuantity')) ??
      conceptText(field<CodeableConcept>(r, 'valueCodeableConcept')) ??
      field<string>(r, 'valueString'),
  }),
  Condition: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'code')) ?? 'Condition',
    detail: conceptText(field<CodeableConcept>(r, 'clinicalStatus')),
  }),
  Encounter: (r) => ({
    title: conceptText(field<CodeableConcept[]>(r, 'type')?.[0]) ?? 'Visit',
    detail: field<string>(r, 'status'),
  }),
  Appointment: (r) => ({
    title:
      field<string>(r, 'description') ??
      conceptText(field<CodeableConcept[]>(r, 'serviceType')?.[0]) ??
      'Appointment',
    detail: `${field<string>(r, 'status') ?? ''} · ${formatDate(field<string>(r, 'start'))}`,
  }),
  Communication: (r) => ({
    title: field<{ contentString?: string }[]>(r, 'payload')?.[0]?.contentString ?? 'Message',
    detail: conceptText(field<CodeableConcept[]>(r, 'medium')?.[0]) ?? field<string>(r, 'status'),
  }),
  CommunicationRequest: (r) => ({
    title: field<{ contentString?: string }[]>(r, 'payload')?.[0]?.contentString ?? 'Planned message',
    detail: conceptText(field<CodeableConcept[]>(r, 'medium')?.[0]) ?? field<string>(r, 'status'),
  }),
  Task: (r) => ({ title: field<string>(r, 'description') ?? 'Task', detail: field<string>(r, 'status') }),
  ServiceRequest: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'code')) ?? 'Referral or order',
    detail: field<string>(r, 'status'),
  }),
  MedicationRequest: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'medicationCodeableConcept')) ?? 'Medication',
    detail: field<string>(r, 'status'),
  }),
  DiagnosticReport: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'code')) ?? 'Report',
    detail: field<string>(r, 'status'),
  }),
  Claim: (r) => ({ title: 'Claim', detail: quantityText(field<Quantity>(r, 'total')) }),
  QuestionnaireResponse: (r) => ({
    title: questionnaireName(field<string>(r, 'questionnaire')),
    detail: field<string>(r, 'status'),
  }),
};

export function describe(resource: Resource): Described {
  const describer = describers[resource.resourceType];
  if (describer) return describer(resource);
  const code = conceptText(field<CodeableConcept>(resource, 'code'));
  const name = field<string>(resource, 'name');
  return {
    title: code ?? (typeof name === 'string' ? name : resource.resourceType),
    detail: field<string>(resource, 'status'),
  };
}

/** "QuestionnaireResponse" → "Questionnaire response". */
export function typeLabel(resourceType: string): string {
  const words = resourceType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
