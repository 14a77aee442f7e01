import type { CommunicationRequest } from '@medplum/fhirtypes';
import { PURPOSE_SYSTEM } from '../../engagement/index.ts';
import type { TestPlatform } from './test-platform.ts';

const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';

/** A zone where it is about noon now: the day's SMS cap cannot roll over while the test runs. */
export function middayZone(): string {
  const offset = new Date().getUTCHours() - 12;
  return offset >= 0 ? `Etc/GMT+${offset}` : `Etc/GMT${offset}`;
}

/** A patient whose only contact is a mobile number (so outreach to her is by SMS); her id. */
export function createMobilePatient(
  platform: TestPlatform,
  patient: { family: string; given: string; birthDate: string; mobile: string },
): Promise<string> {
  return platform.create({
    resourceType: 'Patient',
    name: [{ family: patient.family, given: [patient.given] }],
    birthDate: patient.birthDate,
    telecom: [{ system: 'phone', use: 'mobile', value: patient.mobile }],
  } as never);
}

/**
 * An SMS for the patient, due a minute ago: a care gap (capped: not an appointment reminder, not
 * urgent), or an exempt one — an appointment reminder, or an urgent care gap.
 */
export function dueSms(
  patient: string,
  text: string,
  exempt?: 'appointment-reminder' | 'urgent',
): CommunicationRequest {
  return {
    resourceType: 'CommunicationRequest',
    status: 'active',
    subject: { reference: `Patient/${patient}` },
    recipient: [{ reference: `Patient/${patient}` }],
    category: [
      { coding: [{ system: PURPOSE_SYSTEM, code: exempt === 'appointment-reminder' ? exempt : 'care-gap' }] },
    ],
    ...(exempt === 'urgent' ? { priority: 'urgent' as const } : {}),
    medium: [{ coding: [{ system: MODE, code: 'SMSWRIT' }] }],
    payload: [{ contentString: text }],
    occurrenceDateTime: new Date(Date.now() - 60_000).toISOString(),
  };
}
