import type { Communication } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { OutboundMessage } from '../channels/channel.ts';
import { evaluateConsent } from '../consent/evaluate-consent.ts';
import type { Channel } from '../model/outreach-codes.ts';
import { renderTemplate } from '../templates/outreach-templates.ts';
import { addressFor } from './contact-points.ts';
import type { DeliveryContext } from './delivery-context.ts';
import type { EngagementDeps } from './engagement-deps.ts';
import { acceptedAttempt, markFailed, openAttempt, providerIdOf, attemptKeyOf } from './record-attempt.ts';
import { sendWindow, type DeferralReason } from './deferral.ts';
import { sendOnce, type SendOutcome } from './send-once.ts';

/** What one channel came to. */
export type ChannelStep =
  /** Sent: with the attempt to record as accepted when it went just now. */
  | { kind: 'sent'; accepted?: Communication & { id: string } }
  /**
   * Later: the send window's deferral (`why`), or a provider to retry (no `why`; `uncertain` when
   * the message may have gone).
   */
  | { kind: 'later'; runAt: Date; tries: number; why?: DeferralReason; uncertain?: boolean }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string }
  /** No answer in the end, and the message may have gone: no other channel may be tried. */
  | { kind: 'unknown'; reason: string };

/** One channel of a due request: its try count so far, and now. */
export interface ChannelTry {
  context: DeliveryContext;
  channel: Channel;
  tries: number;
  /** An earlier try's outcome is unknown (the provider may have the message). */
  uncertain?: boolean;
  now: Date;
}

/**
 * One channel, at the moment of sending: consent for this channel and purpose, then the send
 * window, then the attempt (opened before the send, so nothing is sent without a record and a
 * repeat carries the same idempotency key), then the provider's answer.
 */
export async function tryChannel(deps: EngagementDeps, step: ChannelTry): Promise<ChannelStep> {
  const { context, channel, now } = step;
  const consent = evaluateConsent({ channel, purpose: context.purpose, consents: context.consents, now });
  if (!consent.permitted) return { kind: 'refused', reason: consent.reason };
  const { at, why, capSeat } = await sendWindow(deps.repository, deps.rules, {
    request: context.request,
    purpose: context.purpose,
    channel,
    personId: context.person.patient.id!,
    recordIds: context.person.recordIds,
    zone: context.zone,
    quietHours: context.quietHours,
    now,
  });
  if (why) return { kind: 'later', runAt: at, tries: step.tries, why };
  return sendAttempt(deps, { ...step, capSeat });
}

/**
 * Opens (or finds) the attempt, sends it unless it already went (`send-once.ts`), and reads the
 * provider's answer.
 * A capped SMS whose seat another delivery took meanwhile is decided again at once: it then
 * counts that one (and waits for the cap, or takes the next seat).
 */
async function sendAttempt(
  deps: EngagementDeps,
  step: ChannelTry & { capSeat?: string },
): Promise<ChannelStep> {
  const { context, channel, now } = step;
  const message = messageFor(deps, step);
  const opened = await openAttempt(deps.repository, {
    request: context.request,
    channel,
    address: message.to,
    text: message.text,
    patientId: context.person.patient.id!,
    capSeat: step.capSeat,
  }).catch(unlessSeatTaken);
  if (!opened) return { kind: 'later', runAt: now, tries: step.tries };
  const { attempt, existed } = opened;
  if (attempt.status === 'not-done')
    return { kind: 'failed', reason: attempt.statusReason?.text ?? 'failed' };
  if (providerIdOf(attempt)) return { kind: 'sent' };
  // Open before with no try counted for it here: a worker died mid-send, its outcome unknown.
  const uncertain = (step.uncertain ?? false) || (existed && step.tries === 0);
  const sent = await sendOnce({
    adapter: deps.channels[channel],
    message: { ...message, attemptId: attempt.id },
    attempt,
    existed,
    uncertain,
  });
  return answered(deps, { step, attempt, sent });
}

/**
 * The provider's answer: accepted; a transient failure retried; else this channel failed for
 * good — unless the message may have gone, which leaves the attempt open and tries no other
 * channel (the patient would get it twice).
 */
async function answered(
  deps: EngagementDeps,
  answer: { step: ChannelTry; attempt: Communication & { id: string }; sent: SendOutcome },
): Promise<ChannelStep> {
  const { step, attempt } = answer;
  const { result, uncertain } = answer.sent;
  if (result.ok) {
    const acceptance = { providerId: result.providerId, state: result.state, at: deps.clock.now() };
    return { kind: 'sent', accepted: acceptedAttempt(attempt, acceptance) };
  }
  const tries = step.tries + 1;
  if (result.kind === 'transient' && tries < deps.rules.maxAttempts) {
    const runAt = retryAt(deps, { now: step.now, tries, retryAfterSeconds: result.retryAfterSeconds });
    return { kind: 'later', runAt, tries, uncertain };
  }
  if (uncertain) return { kind: 'unknown', reason: `${result.reason} (it may have been sent)` };
  await markFailed(deps.repository, attempt, result.reason);
  return { kind: 'failed', reason: result.reason };
}

/** Undefined when the attempt's SMS-cap seat is held by another attempt (the store's CONFLICT). */
function unlessSeatTaken(error: unknown): undefined {
  if (isThroughlineError(error) && error.code === 'CONFLICT') return undefined;
  throw error;
}

/** Backoff doubling from the configured base (capped at an hour), or the provider's Retry-After. */
function retryAt(
  deps: EngagementDeps,
  retry: { now: Date; tries: number; retryAfterSeconds?: number },
): Date {
  const backoff = Math.min(deps.rules.retryBaseSeconds * 2 ** (retry.tries - 1), 3600);
  const seconds = retry.retryAfterSeconds ?? backoff;
  return new Date(retry.now.getTime() + seconds * 1000);
}

function messageFor(deps: EngagementDeps, { context, channel }: ChannelTry): OutboundMessage {
  const written = context.request.payload?.find((p) => p.contentString)?.contentString;
  const start = context.appointment?.start ? new Date(context.appointment.start) : undefined;
  const input = {
    purpose: context.purpose,
    language: context.language,
    clinicName: deps.rules.clinicName,
    zone: context.zone,
    start,
    link: surveyLink(deps, context),
  };
  const text = written ?? renderTemplate(input);
  return {
    channel,
    to: addressFor(context.person.patient, channel)!,
    subject: `${deps.rules.clinicName}: ${context.purpose.replace(/-/g, ' ')}`,
    text,
    idempotencyKey: attemptKeyOf(context.request.id, channel),
    ...(channel === 'whatsapp' && !written
      ? {
          template: {
            name: `throughline_${context.purpose.replace(/-/g, '_')}`,
            language: context.language ?? 'en',
            parameters: [deps.rules.clinicName],
          },
        }
      : {}),
  };
}

/** A survey's link: the portal's form of its questionnaire Task (the request is about it). */
function surveyLink(deps: EngagementDeps, context: DeliveryContext): string | undefined {
  const task = context.request.about?.find((r) => r.reference?.startsWith('Task/'))?.reference;
  if (context.purpose !== 'survey' || !task || !deps.rules.portalFormsUrl) return undefined;
  return `${deps.rules.portalFormsUrl}/${task.slice('Task/'.length)}`;
}
