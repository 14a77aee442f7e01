import { recordDescribers, type Described } from './describe-records.ts';
import { outreachPurposeDisplay } from './code-words.ts';
import { conceptText, formatDate } from './format.ts';
import { codeWords, field, firstConcept, quantityText, withoutReferences } from './fields.ts';
import type { CodeableConcept, Quantity, Resource } from './types.ts';

export type { Described } from './describe-records.ts';

/** `https://…/Questionnaire/intake|1` → "Intake questionnaire". */
function questionnaireName(canonical: string | undefined): string {
  const name = codeWords(canonical?.split('|')[0]?.split('/').pop());
  return name ? `${name.charAt(0).toUpperCase()}${name.slice(1)} questionnaire` : 'Questionnaire';
}

const codeOf = (r: Resource) => conceptText(field<CodeableConcept>(r, 'code'));
const payloadOf = (r: Resource) => field<{ contentString?: string }[]>(r, 'payload')?.[0]?.contentString;
const mediumOr = (r: Resource, other: string | undefined) => conceptText(firstConcept(r, 'medium')) ?? other;

/**
 * A planned message without its text yet says what it is for: "Planned message: Appointment
 * reminder", the purpose's display as the server writes it, or as the app knows it for a bare code.
 */
function plannedMessage(r: Resource): string {
  const category = firstConcept(r, 'category');
  const display = category?.text ?? category?.coding?.find((coding) => coding.display)?.display;
  const code = category?.coding?.[0]?.code;
  const purpose = display ?? (code ? outreachPurposeDisplay(code) : undefined);
  return purpose ? `Planned message: ${purpose}` : 'Planned message';
}

/** A report without a name is at least a lab report when its category says so. */
function reportTitle(r: Resource): string {
  const category = firstConcept(r, 'category');
  const lab = category?.coding?.some((coding) => coding.code === 'LAB');
  return codeOf(r) ?? (lab ? 'Lab report' : 'Report');
}

const clinicalDescribers: Record<string, (resource: Resource) => Described> = {
  Observation: (r) => ({
    title: codeOf(r) ?? 'Result',
    detail:
      quantityText(field<Quantity>(r, 'valueQuantity')) ??
      conceptText(field<CodeableConcept>(r, 'valueCodeableConcept')) ??
      field<string>(r, 'valueString'),
  }),
  Condition: (r) => ({
    title: codeOf(r) ?? 'Health problem',
    detail: conceptText(field<CodeableConcept>(r, 'clinicalStatus')),
  }),
  Encounter: (r) => ({
    title: conceptText(firstConcept(r, 'type')) ?? 'Visit',
    detail: field<string>(r, 'status'),
  }),
  Appointment: (r) => ({
    title: field<string>(r, 'description') ?? conceptText(firstConcept(r, 'serviceType')) ?? 'Appointment',
    detail: `${field<string>(r, 'status') ?? ''} · ${formatDate(field<string>(r, 'start'))}`,
  }),
  Communication: (r) => ({
    title: payloadOf(r) ?? 'Message',
    detail: mediumOr(r, field<string>(r, 'status')),
  }),
  CommunicationRequest: (r) => ({
    title: payloadOf(r) ?? plannedMessage(r),
    detail: mediumOr(r, field<string>(r, 'status')),
  }),
  Task: (r) => ({
    title: field<string>(r, 'description') ?? codeOf(r) ?? 'To-do',
    detail: field<string>(r, 'status'),
  }),
  ServiceRequest: (r) => ({ title: codeOf(r) ?? 'Referral or order', detail: field<string>(r, 'status') }),
  MedicationRequest: (r) => ({
    title: conceptText(field<CodeableConcept>(r, 'medicationCodeableConcept')) ?? 'Medication',
    detail: field<string>(r, 'status'),
  }),
  DiagnosticReport: (r) => ({ title: reportTitle(r), detail: field<string>(r, 'status') }),
  RiskAssessment: (r) => ({ title: codeOf(r) ?? 'Risk assessment', detail: field<string>(r, 'status') }),
  QuestionnaireResponse: (r) => ({
    title: questionnaireName(field<string>(r, 'questionnaire')),
    detail: field<string>(r, 'status'),
  }),
};

const describers = { ...clinicalDescribers, ...recordDescribers };

/**
 * One line for any resource in a list or the timeline: what it is in people's words, and its key
 * detail. Never a bare type name ("EpisodeOfCare") or a reference: the FHIR names stay in the data.
 */
export function describe(resource: Resource): Described {
  const name = field<unknown>(resource, 'name');
  const described = describers[resource.resourceType]?.(resource) ?? {
    title: codeOf(resource) ?? (typeof name === 'string' ? name : typeLabel(resource.resourceType)),
    detail: field<string>(resource, 'status'),
  };
  const title = withoutReferences(described.title) ?? typeLabel(resource.resourceType);
  return { title, detail: withoutReferences(described.detail) };
}

/** "QuestionnaireResponse" → "Questionnaire response". */
export function typeLabel(resourceType: string): string {
  const words = resourceType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
