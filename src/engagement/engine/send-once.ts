import type { Communication } from '@medplum/fhirtypes';
import type { ChannelAdapter, FoundMessage, OutboundMessage, SendResult } from '../channels/channel.ts';

/** One send of an attempt, and what is known about its earlier sends. */
export interface SendOnce {
  adapter: ChannelAdapter;
  message: OutboundMessage;
  attempt: Communication & { id: string };
  /** The attempt was open before this try: an earlier send of it may have reached the provider. */
  existed: boolean;
  /** An earlier send's outcome is unknown (its answer never came, or a worker died mid-send). */
  uncertain: boolean;
}

/** The provider's answer, and whether the message may be out whatever it said. */
export interface SendOutcome {
  result: SendResult;
  /** The message may have gone: no other channel may be tried for it. */
  uncertain: boolean;
}

/**
 * Sends an attempt without repeating a message the provider may already have: an attempt open
 * before is first looked up at a provider that does not deduplicate but can be asked (`find`,
 * Twilio SMS and voice), and a message found there is the answer — nothing is sent again. A
 * provider that cannot be asked and takes a repeat as a new message (WhatsApp) is not sent it
 * again after an unknown outcome: the retries wait for its status webhook to settle the attempt.
 * Any other provider gets it again with the same key (the outbox, a gateway or mail clients drop
 * the repeat), and an earlier unknown outcome stays unknown.
 */
export async function sendOnce(send: SendOnce): Promise<SendOutcome> {
  const { adapter, message, attempt, existed } = send;
  let uncertain = send.uncertain;
  if (uncertain && existed && !adapter.find && adapter.repeatIsNewMessage)
    return { result: AWAITING_STATUS, uncertain: true };
  if (existed && adapter.find) {
    const found = await lookUp(adapter, { message, since: openedAt(attempt) });
    if ('result' in found) return { result: found.result, uncertain: true };
    if (found.found)
      return { result: { ok: true, providerId: found.providerId, state: found.state }, uncertain: false };
    uncertain = false;
  }
  const result = await adapter.send(message);
  return { result, uncertain: uncertain || (!result.ok && result.outcome === 'unknown') };
}

/** An unknown outcome the provider cannot be asked about: only its status webhook can settle it. */
const AWAITING_STATUS: SendResult = {
  ok: false,
  kind: 'transient',
  reason: 'no answer came and the provider cannot be asked: waiting for its status report',
  outcome: 'unknown',
};

/** The provider's record of the message; a provider that cannot be asked now is a transient failure. */
async function lookUp(
  adapter: ChannelAdapter,
  query: { message: OutboundMessage; since: Date },
): Promise<FoundMessage | { result: SendResult }> {
  try {
    return await adapter.find!(query.message, query.since);
  } catch (error) {
    const reason = `could not ask the provider whether it has the message: ${(error as Error).message}`;
    return { result: { ok: false, kind: 'transient', reason, outcome: 'unknown' } };
  }
}

/** When the attempt was opened: an open attempt is not written again until its answer is known. */
function openedAt(attempt: Communication): Date {
  const at = Date.parse(attempt.meta?.lastUpdated ?? '');
  return Number.isFinite(at) ? new Date(at) : new Date(0);
}
