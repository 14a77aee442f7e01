import type { Communication, Organization, Patient, Reference } from '@medplum/fhirtypes';
import { mediumOf, PROVIDER_MESSAGE_SYSTEM } from './outreach-codes.ts';

/** A phone call between the clinic and a patient, however it became known. */
export interface CallRecord {
  /** `Patient/{id}`. */
  patient: string;
  direction: 'inbound' | 'outbound';
  /** Nobody answered (at the clinic for an inbound call, the patient for an outbound one). */
  missed: boolean;
  /** When the call was made (an instant). */
  at: string;
  /** What was said, as staff logged it, or what the provider reported. */
  note: string;
  /** The caller's number as the provider gave it. */
  from?: string;
  /** The provider's call id (Twilio `CallSid`): a repeated webhook is recognised by it. */
  providerId?: string;
}

const CLINIC: Reference<Organization> = { display: 'Clinic' };

/** Why a missed call is `not-done`, in the words the timeline and the 360 view show. */
export const missedCallReason = (direction: CallRecord['direction']) =>
  direction === 'inbound'
    ? 'Missed call: no one answered at the clinic'
    : 'Missed call: patient did not answer';

/**
 * The call as a `Communication` (medium `PHONE`): the one shape for a call staff logged and one
 * the provider's webhook reported, so both read the same on the timeline — inbound from the
 * patient, missed ones `not-done` with the reason, answered ones `completed` and `received`.
 */
export function callCommunicationOf(call: CallRecord): Communication {
  const patient: Reference<Patient> = {
    reference: call.patient,
    ...(call.from ? { display: call.from } : {}),
  };
  const inbound = call.direction === 'inbound';
  return {
    resourceType: 'Communication',
    ...(call.providerId ? { identifier: [{ system: PROVIDER_MESSAGE_SYSTEM, value: call.providerId }] } : {}),
    status: call.missed ? 'not-done' : 'completed',
    ...(call.missed ? { statusReason: { text: missedCallReason(call.direction) } } : {}),
    medium: [mediumOf('voice')],
    subject: { reference: call.patient },
    sender: inbound ? patient : CLINIC,
    recipient: [inbound ? CLINIC : patient],
    sent: call.at,
    ...(call.missed ? {} : { received: call.at }),
    payload: [{ contentString: call.note }],
  };
}
