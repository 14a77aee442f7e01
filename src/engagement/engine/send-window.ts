import { DateTime } from 'luxon';
import type { Bundle, Communication, CommunicationRequest } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { nextWithinCap } from '../consent/frequency-cap.ts';
import { nextSendableAt, type QuietHours } from '../consent/quiet-hours.ts';
import { modeCodeOf, type Channel, type Purpose } from '../model/outreach-codes.ts';
import type { OutreachRules } from './engagement-deps.ts';
import { freeSeat, seatPrefix } from './sms-cap-seat.ts';

/** Urgent requests go at once: no quiet hours, no cap. */
export function isUrgent(request: CommunicationRequest): boolean {
  return ['urgent', 'asap', 'stat'].includes(request.priority ?? 'routine');
}

/** What decides the window: the request, the channel, the person, their zone, now. */
export interface WindowQuestion {
  request: CommunicationRequest & { id?: string };
  purpose: Purpose;
  channel: Channel;
  /** The person's record that keys her SMS-cap seats (the golden record when linked). */
  personId: string;
  recordIds: string[];
  zone: string;
  /** The patient's own quiet hours, else the clinic's (`DeliveryContext.quietHours`). */
  quietHours: QuietHours | undefined;
  now: Date;
}

/** When a message may go; a capped SMS that may go now also names the seat it claims (`sms-cap-seat.ts`). */
export interface SendDecision {
  at: Date;
  capSeat?: string;
}

/**
 * When this message may go: now, or later (her quiet hours, else the clinic's, in her zone; the SMS cap for
 * non-urgent messages other than appointment reminders, which are bound to their time).
 */
export async function sendableAt(
  repository: FhirRepository,
  rules: OutreachRules,
  question: WindowQuestion,
): Promise<Date> {
  return (await sendDecision(repository, rules, question)).at;
}

/** `sendableAt`, with the seat a capped SMS going now claims when its attempt is opened. */
export async function sendDecision(
  repository: FhirRepository,
  rules: OutreachRules,
  question: WindowQuestion,
): Promise<SendDecision> {
  const { request, purpose, channel, zone, now } = question;
  if (isUrgent(request)) return { at: now };
  const quietEnd = nextSendableAt(now, { quietHours: question.quietHours, zone });
  if (quietEnd > now || channel !== 'sms' || purpose === 'appointment-reminder') return { at: quietEnd };
  if (rules.smsPerDay === 0 && rules.smsPerWeek === 0) return { at: now };
  const attempts = await recentSmsAttempts(repository, question);
  const sentAt = attempts.map((c) => new Date(c.sent ?? c.meta?.lastUpdated ?? now));
  const at = nextWithinCap({ sentAt, perDay: rules.smsPerDay, perWeek: rules.smsPerWeek, zone, now });
  if (at > now) return { at };
  const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
  return { at, capSeat: freeSeat(attempts, seatPrefix(question.personId, today)) };
}

/**
 * The person's SMS of the last week that count: sent, or opened and maybe going (the attempt is
 * opened before the send, so one in flight counts too, at when it was opened) — not failed ones,
 * not urgent ones, not this request's own (a retry of it is the same message).
 */
async function recentSmsAttempts(
  repository: FhirRepository,
  question: WindowQuestion,
): Promise<Communication[]> {
  const weekAgo = new Date(question.now.getTime() - 8 * 24 * 3600 * 1000).toISOString();
  const own = question.request.id ? `CommunicationRequest/${question.request.id}` : undefined;
  const bundle: Bundle = await repository.search({
    resourceType: 'Communication',
    params: [
      ['subject', question.recordIds.map((id) => `Patient/${id}`).join(',')],
      ['medium', modeCodeOf('sms')],
      // Every write sets it, so an attempt sent in the window was last written in it too.
      ['_lastUpdated', `ge${weekAgo}`],
      ['_count', '100'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as Communication)
    .filter((c) => c.status !== 'not-done' && !c.priority?.match(/urgent|asap|stat/))
    .filter((c) => c.sent !== undefined || c.status === 'in-progress')
    .filter((c) => !own || !c.basedOn?.some((based) => based.reference === own));
}
