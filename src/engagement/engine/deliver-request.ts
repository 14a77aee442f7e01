import type { CommunicationRequest } from '@medplum/fhirtypes';
import { absentUnlessUnavailable, ThroughlineError } from '../../kernel/errors.ts';
import type { Job, JobFollowUp, JobHandler } from '../../store/index.ts';
import type { Channel } from '../model/outreach-codes.ts';
import { deadLetter } from './dead-letter.ts';
import { recordDeferral } from './deferral.ts';
import { deliveryContext, type DeliveryContext } from './delivery-context.ts';
import { DELIVERY_QUEUE, type EngagementDeps } from './engagement-deps.ts';
import { completeRequest, endRequest } from './request-state.ts';
import { tryChannel, type ChannelStep } from './try-channel.ts';

type LaterStep = Extract<ChannelStep, { kind: 'later' }>;

/** A delivery job: the request, the tries used per channel so far, and where one may have gone. */
export interface DeliveryPayload {
  request: string;
  tries?: Partial<Record<Channel, number>>;
  /** Channels whose last send's outcome is unknown (no answer came: the provider may have it). */
  uncertain?: Partial<Record<Channel, boolean>>;
}

/**
 * The job handler of `engagement:deliver`: one due CommunicationRequest per job. Deliveries
 * mostly wait (on the provider, on the database), and those in flight together share their
 * reads and writes (`coalesced-reads.ts`, `grouped-writes.ts`): 32 at a time by default (the
 * bench: 16 → 64 in flight took CPU per message from 9.4 to 4.9 ms, docs/benchmarks.md).
 */
export function deliveryHandler(deps: EngagementDeps, options: { concurrency?: number } = {}): JobHandler {
  return {
    queue: DELIVERY_QUEUE,
    concurrency: options.concurrency ?? 32,
    handle: (job) => deliverRequest(deps, job),
  };
}

/**
 * Delivers a due request: not before its time; revoked when nobody may be contacted; then each
 * channel in order until one takes it. A deferral or retry puts the job back for later;
 * refusals on every channel revoke the request; failures on every channel dead-letter it.
 */
export async function deliverRequest(deps: EngagementDeps, job: Job): Promise<void | JobFollowUp> {
  const payload = job.payload as DeliveryPayload;
  const request = await deps.repository
    .read<CommunicationRequest & { id: string }>('CommunicationRequest', payload.request)
    .catch(absentUnlessUnavailable);
  if (request?.status !== 'active') return;
  const now = deps.clock.now();
  if (request.occurrenceDateTime && Date.parse(request.occurrenceDateTime) > now.getTime())
    return { runAt: request.occurrenceDateTime };
  const context = await deliveryContext(deps, request, now);
  if ('stop' in context)
    return endRequest(deps.repository, request, { status: 'revoked', reason: context.stop });
  return tryChannels(deps, { context, payload, now });
}

async function tryChannels(
  deps: EngagementDeps,
  run: { context: DeliveryContext; payload: DeliveryPayload; now: Date },
): Promise<void | JobFollowUp> {
  const { context, payload, now } = run;
  const refused: string[] = [];
  const failed: string[] = [];
  for (const channel of context.channels) {
    const tries = payload.tries?.[channel] ?? 0;
    const uncertain = payload.uncertain?.[channel];
    const step = await tryChannel(deps, { context, channel, tries, uncertain, now });
    if (step.kind === 'sent') return completeRequest(deps.repository, context.request, step.accepted);
    if (step.kind === 'later') return later(deps, { context, payload, channel, step });
    if (step.kind === 'unknown') return undeliverable(deps, context, `${channel}: ${step.reason}`);
    (step.kind === 'refused' ? refused : failed).push(`${channel}: ${step.reason}`);
  }
  if (failed.length === 0) {
    const reason =
      refused.length > 0
        ? `no channel permitted (${refused.join('; ')})`
        : 'no contact point for any channel';
    return endRequest(deps.repository, context.request, { status: 'revoked', reason });
  }
  return undeliverable(deps, context, [...failed, ...refused].join('; '));
}

/** The job back for later: a deferral (recorded on the request) or a provider to retry. */
async function later(
  deps: EngagementDeps,
  run: { context: DeliveryContext; payload: DeliveryPayload; channel: Channel; step: LaterStep },
): Promise<JobFollowUp> {
  const { context, payload, channel, step } = run;
  const until = step.runAt.toISOString();
  if (step.why) await recordDeferral(deps.repository, context.request, { until, reason: step.why, channel });
  // A deferral says nothing of the last send: what was known of it stays.
  const uncertain = {
    ...payload.uncertain,
    [channel]: (step.uncertain ?? payload.uncertain?.[channel]) || undefined,
  };
  return {
    runAt: until,
    payload: { ...payload, tries: { ...payload.tries, [channel]: step.tries }, uncertain },
  };
}

/**
 * Failed on every channel, or no answer where the message may have gone: on hold for a
 * coordinator (`dead-letter.ts`), the job dead-lettered.
 */
async function undeliverable(deps: EngagementDeps, context: DeliveryContext, reason: string): Promise<never> {
  await deadLetter(deps, { request: context.request, patientId: context.person.patient.id!, reason });
  throw new ThroughlineError('UNDELIVERABLE', `CommunicationRequest/${context.request.id}: ${reason}`);
}
