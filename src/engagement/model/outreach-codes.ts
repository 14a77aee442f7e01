import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

/** The channels outreach goes out on. `voice` is a call (v3 ParticipationMode `PHONE`). */
export type Channel = 'sms' | 'email' | 'whatsapp' | 'voice';
export const CHANNELS: Channel[] = ['sms', 'email', 'whatsapp', 'voice'];

/** Why the clinic reaches out: `CommunicationRequest.category` (and Consent `provision.purpose`). */
export type Purpose =
  'appointment-reminder' | 'results-ready' | 'care-gap' | 'referral' | 'survey' | 'marketing';
export const PURPOSES: Purpose[] = [
  'appointment-reminder',
  'results-ready',
  'care-gap',
  'referral',
  'survey',
  'marketing',
];

export const PURPOSE_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/outreach-purpose';
/** The CodeSystem's display of each purpose, as staff read it (the web app keeps the same words). */
export const PURPOSE_DISPLAY: Record<Purpose, string> = {
  'appointment-reminder': 'Appointment reminder',
  'results-ready': 'Results ready',
  'care-gap': 'Care gap',
  referral: 'Referral',
  survey: 'Survey',
  marketing: 'Marketing',
};
export const PARTICIPATION_MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
/** Delivery state of an attempt (queued | sent | delivered | failed | read): see the README. */
export const DELIVERY_STATE_URL = 'https://throughline.dev/fhir/StructureDefinition/delivery-state';
/** What a reply did (confirm | reschedule | opt-out | opt-in), so worklists skip handled replies. */
export const REPLY_ACTION_URL = 'https://throughline.dev/fhir/StructureDefinition/reply-action';
/** Our idempotency key of an attempt: `{request id}/{channel}`, sent to the provider too. */
export const ATTEMPT_KEY_SYSTEM = 'https://throughline.dev/fhir/sid/outreach-attempt';
/** The provider's id of the message (Twilio SID, WhatsApp wamid, SMTP Message-ID, outbox id). */
export const PROVIDER_MESSAGE_SYSTEM = 'https://throughline.dev/fhir/sid/provider-message';
/** Marks STOP/START Consents and the dead-letter Tasks engagement writes. */
export const ENGAGEMENT_SYSTEM = 'https://throughline.dev/fhir/CodeSystem/engagement';

export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'failed' | 'read';

const MODE_OF: Record<Channel, string> = {
  sms: 'SMSWRIT',
  email: 'EMAILWRIT',
  whatsapp: 'WHATSAPP',
  voice: 'PHONE',
};
const DISPLAY_OF: Record<Channel, string> = {
  sms: 'SMS message',
  email: 'email',
  whatsapp: 'WhatsApp',
  voice: 'telephone',
};

/** The ParticipationMode code of a channel (`SMSWRIT`, `EMAILWRIT`, `WHATSAPP`, `PHONE`). */
export function modeCodeOf(channel: Channel): string {
  return MODE_OF[channel];
}

export function mediumOf(channel: Channel): CodeableConcept {
  return { coding: [{ system: PARTICIPATION_MODE, code: MODE_OF[channel], display: DISPLAY_OF[channel] }] };
}

/** The channel a medium names, if it is one outreach uses. */
export function channelOf(medium: CodeableConcept[] | undefined): Channel | undefined {
  const codes = (medium ?? []).flatMap((concept) => concept.coding ?? []).map((coding) => coding.code);
  return CHANNELS.find((channel) => codes.includes(MODE_OF[channel]));
}

/** A purpose as a Coding of the outreach-purpose CodeSystem, with its display. */
export function purposeCoding(purpose: Purpose): Coding {
  return { system: PURPOSE_SYSTEM, code: purpose, display: PURPOSE_DISPLAY[purpose] };
}

/** The purpose of a request (`category`), if it names one. */
export function purposeOf(category: CodeableConcept[] | undefined): Purpose | undefined {
  const coding = (category ?? [])
    .flatMap((concept) => concept.coding ?? [])
    .find((c) => c.system === PURPOSE_SYSTEM && PURPOSES.includes(c.code as Purpose));
  return coding?.code as Purpose | undefined;
}
