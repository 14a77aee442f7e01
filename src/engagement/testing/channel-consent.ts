import type { Consent } from '@medplum/fhirtypes';
import { PARTICIPATION_MODE, PURPOSE_SYSTEM } from '../model/outreach-codes.ts';
import { privacyConsent } from '../../fhir/privacy-consent.ts';

/**
 * A patient's outreach Consent for tests: permit or deny one channel (a ParticipationMode code,
 * `SMSWRIT`), for one purpose or, without one, for every purpose — the convention engagement reads.
 */
export function channelConsent(options: {
  patient: string;
  permit: boolean;
  mode: string;
  purpose?: string;
  dateTime?: string;
}): Consent {
  const { patient, permit, mode, purpose } = options;
  return {
    ...privacyConsent(patient),
    ...(options.dateTime ? { dateTime: options.dateTime } : {}),
    policyRule: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: permit ? 'OPTIN' : 'OPTOUT' },
      ],
    },
    provision: {
      type: permit ? 'permit' : 'deny',
      code: [{ coding: [{ system: PARTICIPATION_MODE, code: mode }] }],
      ...(purpose ? { purpose: [{ system: PURPOSE_SYSTEM, code: purpose }] } : {}),
    },
  };
}
