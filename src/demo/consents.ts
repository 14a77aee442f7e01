import type { Consent } from '@medplum/fhirtypes';
import { emit, ref, type ClinicContext } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import { channels, coding, concept, systems, type Channel } from './vocabulary/terminology.ts';

/** The patient's answer for one contact channel. */
export interface ChannelConsent {
  channel: Channel;
  /** `true`: opted in; `false`: opted out. */
  permit: boolean;
  /** When the patient answered. */
  dateTime: string;
}

/**
 * One Consent per contact channel: `provision.type` permit/deny and the channel as a v3
 * ParticipationMode code in `provision.code` — the convention engagement reads before sending.
 */
export function recordChannelConsent(ctx: ClinicContext, journey: Journey, consent: ChannelConsent): void {
  const { channel, permit, dateTime } = consent;
  emit<Consent>(ctx, {
    resourceType: 'Consent',
    status: 'active',
    scope: concept(systems.consentScope, 'patient-privacy', 'Privacy Consent'),
    category: [concept(systems.loinc, '59284-0', 'Patient Consent')],
    patient: ref(journey.gp),
    dateTime,
    organization: [ref(ctx.directory.organizations.gp)],
    policyRule: {
      coding: [coding(systems.actCode, permit ? 'OPTIN' : 'OPTOUT', permit ? 'opt-in' : 'opt-out')],
    },
    provision: {
      type: permit ? 'permit' : 'deny',
      code: [{ coding: [channels[channel]], text: `Contact by ${channels[channel].display}` }],
    },
  });
}

/** The preferred channel is always permitted; others are permitted, refused or never asked. */
export function recordConsents(ctx: ClinicContext, journey: Journey, dateTime: string): void {
  for (const channel of ['sms', 'email', 'phone'] as const) {
    if (channel === 'email' && !journey.person.email) continue;
    if (channel === journey.person.channel)
      recordChannelConsent(ctx, journey, { channel, permit: true, dateTime });
    else if (ctx.random.chance(0.6))
      recordChannelConsent(ctx, journey, { channel, permit: ctx.random.chance(0.8), dateTime });
  }
}
