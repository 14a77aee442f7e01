import type { Consent } from '@medplum/fhirtypes';

/**
 * What every patient privacy Consent starts with (active, scope `patient-privacy`, LOINC
 * 59284-0 "Consent Document", the patient): channel permits and opt-outs, and the privacy
 * consents that hide records, add their provisions to it.
 */
export function privacyConsent(patient: string): Consent & { status: 'active' } {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
  };
}
