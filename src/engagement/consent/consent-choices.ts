import type { Consent } from '@medplum/fhirtypes';
import {
  CHANNELS,
  ENGAGEMENT_SYSTEM,
  mediumOf,
  purposeCoding,
  PURPOSES,
  type Channel,
  type Purpose,
} from '../model/outreach-codes.ts';
import { evaluateConsent } from './evaluate-consent.ts';
import { privacyConsent } from '../../fhir/privacy-consent.ts';

/** Marks the Consents a patient wrote herself (the portal), one per channel and purpose. */
export const PATIENT_CHOICE_SYSTEM = `${ENGAGEMENT_SYSTEM}/patient-choice`;

/** A patient's own yes or no to one channel for one purpose. */
export interface ConsentChoice {
  channel: Channel;
  purpose: Purpose;
  decision: 'permit' | 'deny';
}

/** What applies now to each channel and purpose, as `evaluateConsent` decides at sending. */
export interface ConsentState {
  channel: Channel;
  purpose: Purpose;
  permitted: boolean;
  /** Whether a Consent decided it (else the default for the purpose, without consent on file). */
  explicit: boolean;
}

export function consentStates(consents: Consent[], now: Date): ConsentState[] {
  return CHANNELS.flatMap((channel) =>
    PURPOSES.map((purpose) => {
      const answer = evaluateConsent({ channel, purpose, consents, now });
      return { channel, purpose, permitted: answer.permitted, explicit: answer.consent !== undefined };
    }),
  );
}

/**
 * The Consent of one choice, in the shape `evaluateConsent` reads: the channel in
 * `provision.code`, the purpose in `provision.purpose`, dated now — the latest applicable
 * Consent decides, so it overrides an earlier STOP or a permit given at the front desk.
 */
export function choiceConsent(choice: ConsentChoice, on: { patient: string; now: Date }): Consent {
  return {
    ...privacyConsent(on.patient),
    identifier: [{ system: PATIENT_CHOICE_SYSTEM, value: `${choice.channel}/${choice.purpose}` }],
    dateTime: on.now.toISOString(),
    policyRule: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: choice.decision === 'permit' ? 'OPTIN' : 'OPTOUT',
        },
      ],
    },
    provision: {
      type: choice.decision,
      code: [mediumOf(choice.channel)],
      purpose: [purposeCoding(choice.purpose)],
    },
  };
}

/** Her earlier choices for the same channel and purpose: made inactive by the new one. */
export function supersededChoices(consents: Consent[], choice: ConsentChoice): Consent[] {
  const key = `${choice.channel}/${choice.purpose}`;
  return consents.filter(
    (consent) =>
      consent.status === 'active' &&
      consent.identifier?.some((i) => i.system === PATIENT_CHOICE_SYSTEM && i.value === key),
  );
}

/** A choice from a request body, or the name of the field that is wrong. */
export function choiceOf(body: unknown): ConsentChoice | { wrong: string } {
  const { channel, purpose, decision } = (body ?? {}) as Record<string, unknown>;
  if (!CHANNELS.includes(channel as Channel)) return { wrong: 'channel' };
  if (!PURPOSES.includes(purpose as Purpose)) return { wrong: 'purpose' };
  if (decision !== 'permit' && decision !== 'deny') return { wrong: 'decision' };
  return { channel: channel as Channel, purpose: purpose as Purpose, decision };
}
