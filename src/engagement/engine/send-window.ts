import type { Bundle, Communication, CommunicationRequest } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';
import { nextWithinCap } from '../consent/frequency-cap.ts';
import { nextSendableAt, type QuietHours } from '../consent/quiet-hours.ts';
import { modeCodeOf, type Channel, type Purpose } from '../model/outreach-codes.ts';
import type { OutreachRules } from './engagement-deps.ts';

/** Urgent requests go at once: no quiet hours, no cap. */
export function isUrgent(request: CommunicationRequest): boolean {
  return ['urgent', 'asap', 'stat'].includes(request.priority ?? 'routine');
}

/** What decides the window: the request, the channel, the person, their zone, now. */
export interface WindowQuestion {
  request: CommunicationRequest;
  purpose: Purpose;
  channel: Channel;
  recordIds: string[];
  zone: string;
  /** The patient's own quiet hours, else the clinic's (`DeliveryContext.quietHours`). */
  quietHours: QuietHours | undefined;
  now: Date;
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
  const { request, purpose, channel, zone, now } = question;
  if (isUrgent(request)) return now;
  const quietEnd = nextSendableAt(now, { quietHours: question.quietHours, zone });
  if (quietEnd > now || channel !== 'sms' || purpose === 'appointment-reminder') return quietEnd;
  if (rules.smsPerDay === 0 && rules.smsPerWeek === 0) return now;
  const sentAt = await recentSmsTimes(repository, question);
  return nextWithinCap({ sentAt, perDay: rules.smsPerDay, perWeek: rules.smsPerWeek, zone, now });
}

async function recentSmsTimes(repository: FhirRepository, question: WindowQuestion): Promise<Date[]> {
  const weekAgo = new Date(question.now.getTime() - 8 * 24 * 3600 * 1000).toISOString();
  const bundle: Bundle = await repository.search({
    resourceType: 'Communication',
    params: [
      ['subject', question.recordIds.map((id) => `Patient/${id}`).join(',')],
      ['medium', modeCodeOf('sms')],
      ['sent', `ge${weekAgo}`],
      ['_count', '100'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as Communication)
    .filter((c) => c.status !== 'not-done' && c.sent && !c.priority?.match(/urgent|asap|stat/))
    .map((c) => new Date(c.sent!));
}
