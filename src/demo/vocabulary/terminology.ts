import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

/** Code system URIs exactly as FHIR R4 and HL7 terminology publish them. */
export const systems = {
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  ucum: 'http://unitsofmeasure.org',
  courseOfTherapy: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
  bcp47: 'urn:ietf:bcp:47',
  v20203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v20276: 'http://terminology.hl7.org/CodeSystem/v2-0276',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationMode: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  communicationCategory: 'http://terminology.hl7.org/CodeSystem/communication-category',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  copayType: 'http://terminology.hl7.org/CodeSystem/coverage-copay-type',
  cancellationReason: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason',
  practitionerRole: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
  v20074: 'http://terminology.hl7.org/CodeSystem/v2-0074',
} as const;

export function coding(system: string, code: string, display?: string): Coding {
  return display === undefined ? { system, code } : { system, code, display };
}

export function concept(system: string, code: string, display: string): CodeableConcept {
  return { coding: [coding(system, code, display)], text: display };
}

/** Channels as v3 ParticipationMode codes: the same code marks a Communication's medium and a Consent's channel. */
export const channels = {
  sms: coding(systems.participationMode, 'SMSWRIT', 'SMS message'),
  email: coding(systems.participationMode, 'EMAILWRIT', 'email'),
  phone: coding(systems.participationMode, 'PHONE', 'telephone'),
} as const;

export type Channel = keyof typeof channels;
