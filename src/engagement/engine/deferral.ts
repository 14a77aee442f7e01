import type { CommunicationRequest, Extension } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { Channel } from '../model/outreach-codes.ts';
import type { OutreachRules } from './engagement-deps.ts';
import { sendableAt, sendDecision, type WindowQuestion } from './send-window.ts';

/**
 * A due request the engine put back: when it will go next and why, on the request itself, so
 * every list can tell "due and waiting for the send window" from "due and not yet handled"
 * (the request keeps its `occurrenceDateTime`, when it fell due).
 */
export const DEFERRAL_URL = 'https://throughline.dev/fhir/StructureDefinition/outreach-deferral';

/**
 * Why a due request waits: the patient's quiet hours or the SMS cap. (A provider's retry is told
 * by the attempt, not here: writing the request wakes its job, which would cut the backoff short.)
 */
export type DeferralReason = 'quiet-hours' | 'sms-cap';

export interface Deferral {
  until: string;
  reason: DeferralReason;
  channel?: Channel;
}

/**
 * When a message may go, and why not now. Quiet hours decide first: the same question for a
 * channel without a cap (e-mail) answers the quiet hours alone, so a later time that is not
 * theirs is the SMS cap's — one source of truth, `sendableAt`, for both. A capped SMS that may go
 * now gets the seat of the day its attempt claims (`sms-cap-seat.ts`).
 */
export async function sendWindow(
  repository: FhirRepository,
  rules: OutreachRules,
  question: WindowQuestion,
): Promise<{ at: Date; why?: DeferralReason; capSeat?: string }> {
  const { at, capSeat } = await sendDecision(repository, rules, question);
  if (at <= question.now) return { at, capSeat };
  const quietEnd = await sendableAt(repository, rules, { ...question, channel: 'email' });
  return { at, why: quietEnd > question.now ? 'quiet-hours' : 'sms-cap' };
}

/** The deferral a request carries, if any. */
export function deferralOf(request: CommunicationRequest): Deferral | undefined {
  const parts = request.extension?.find((extension) => extension.url === DEFERRAL_URL)?.extension;
  const value = (url: string) => parts?.find((part) => part.url === url);
  const until = value('until')?.valueDateTime;
  const reason = value('reason')?.valueCode as DeferralReason | undefined;
  if (!until || !reason) return undefined;
  const channel = value('channel')?.valueCode as Channel | undefined;
  return { until, reason, ...(channel ? { channel } : {}) };
}

/** The request without its deferral (it went, or it will not go). */
export function withoutDeferral<T extends CommunicationRequest>(request: T): T {
  const extension = request.extension?.filter((each) => each.url !== DEFERRAL_URL);
  const { extension: _dropped, ...rest } = request;
  return (extension?.length ? { ...rest, extension } : rest) as T;
}

/**
 * Writes the deferral on the request, unless it already says so (the write wakes the request's
 * job once; finding the same deferral then, it writes nothing and sleeps until then). A request
 * someone wrote meanwhile is left to its current version: its job decides again.
 */
export async function recordDeferral(
  repository: FhirRepository,
  request: CommunicationRequest & { id: string },
  deferral: Deferral,
): Promise<void> {
  const current = deferralOf(request);
  if (
    current?.until === deferral.until &&
    current.reason === deferral.reason &&
    current.channel === deferral.channel
  )
    return;
  const parts: Extension[] = [
    { url: 'until', valueDateTime: deferral.until },
    { url: 'reason', valueCode: deferral.reason },
    ...(deferral.channel ? [{ url: 'channel', valueCode: deferral.channel }] : []),
  ];
  const deferred = withoutDeferral(request);
  const extension = [...(deferred.extension ?? []), { url: DEFERRAL_URL, extension: parts }];
  try {
    await repository.update({ ...deferred, extension }, { ifMatch: request.meta?.versionId });
  } catch (error) {
    if (!isThroughlineError(error) || error.code !== 'VERSION_CONFLICT') throw error;
  }
}
