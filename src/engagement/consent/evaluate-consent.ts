import type { Consent } from '@medplum/fhirtypes';
import { modeCodeOf, PURPOSE_SYSTEM, type Channel, type Purpose } from '../model/outreach-codes.ts';

/** The question asked at the moment of sending. */
export interface ConsentQuestion {
  channel: Channel;
  purpose: Purpose;
  /** Every Consent in the person's compartments. */
  consents: Consent[];
  now: Date;
}

export interface ConsentAnswer {
  permitted: boolean;
  /** Why, in words a coordinator reads on the attempt (`statusReason`) or in a preview. */
  reason: string;
  /** The Consent that decided, when one did. */
  consent?: string;
}

/**
 * Purposes that may reach a contact point the patient gave without any consent on file: care
 * the patient is already in. Marketing, surveys, referral chasing and anything on WhatsApp need
 * an explicit permit.
 */
const IMPLIED: Purpose[] = ['appointment-reminder', 'results-ready', 'care-gap'];

/**
 * Consent for one channel and purpose (the convention the 360 view reads): an active Consent
 * with `provision.type` permit/deny, the channel in `provision.code` and the purpose in
 * `provision.purpose` (absent: every purpose). The latest applicable one decides; at the same
 * time a deny wins. An opt-out by `STOP` is such a deny, for every purpose.
 */
export function evaluateConsent(question: ConsentQuestion): ConsentAnswer {
  const applicable = question.consents
    .filter((consent) => applies(consent, question))
    .sort((a, b) => (b.dateTime ?? '').localeCompare(a.dateTime ?? '') || denyFirst(a, b));
  const deciding = applicable[0];
  if (deciding) {
    const permitted = deciding.provision?.type === 'permit';
    const verb = permitted ? 'permitted' : 'refused';
    return {
      permitted,
      reason: `${question.channel} ${verb} for ${question.purpose} by Consent/${deciding.id}`,
      consent: `Consent/${deciding.id}`,
    };
  }
  if (question.channel !== 'whatsapp' && IMPLIED.includes(question.purpose))
    return {
      permitted: true,
      reason: `no consent on file: ${question.purpose} may use a contact point given`,
    };
  return {
    permitted: false,
    reason: `no consent on file: ${question.purpose} on ${question.channel} needs an explicit permit`,
  };
}

function applies(consent: Consent, { channel, purpose, now }: ConsentQuestion): boolean {
  const provision = consent.provision;
  if (consent.status !== 'active' || !provision?.type) return false;
  const codes = (provision.code ?? []).flatMap((concept) => concept.coding ?? []).map((c) => c.code);
  if (!codes.includes(modeCodeOf(channel))) return false;
  const purposes = (provision.purpose ?? []).filter((c) => c.system === PURPOSE_SYSTEM).map((c) => c.code);
  if ((provision.purpose ?? []).length > 0 && !purposes.includes(purpose)) return false;
  return withinPeriod(provision.period, now);
}

function withinPeriod(period: { start?: string; end?: string } | undefined, now: Date): boolean {
  const at = now.getTime();
  if (period?.start && Date.parse(period.start) > at) return false;
  return !(period?.end && Date.parse(period.end) < at);
}

function denyFirst(a: Consent, b: Consent): number {
  return Number(b.provision?.type === 'deny') - Number(a.provision?.type === 'deny');
}
