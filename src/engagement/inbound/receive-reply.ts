import type { Communication } from '@medplum/fhirtypes';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import {
  mediumOf,
  PROVIDER_MESSAGE_SYSTEM,
  REPLY_ACTION_URL,
  type Channel,
} from '../model/outreach-codes.ts';
import { attemptByProviderId, latestOutbound, patientsByAddress } from './find-outbound.ts';
import { actOnReply } from './reply-actions.ts';
import { parseReply } from './reply-grammar.ts';

/** A message from a patient, as a provider's webhook delivers it. */
export interface InboundMessage {
  channel: Channel;
  /** The sender's number or address. */
  from: string;
  text: string;
  /** The provider's id of this inbound message (a redelivered webhook is recognised by it). */
  providerId: string;
  /** The provider's id of the message it answers, when the channel says (WhatsApp context). */
  inReplyTo?: string;
}

export type ReplyOutcome = 'recorded' | 'duplicate' | 'unknown-sender';

/**
 * Stores a reply as a Communication from the patient, `inResponseTo` the message it answers
 * (named by the provider, else our latest message to that number on that channel), and carries
 * out the reply grammar. Anything that is not a keyword stays for a person: the journey's
 * unanswered-messages worklist picks it up.
 */
export async function receiveReply(deps: EngagementDeps, message: InboundMessage): Promise<ReplyOutcome> {
  if (await attemptByProviderId(deps.repository, message.providerId)) return 'duplicate';
  const answered = message.inReplyTo
    ? await attemptByProviderId(deps.repository, message.inReplyTo)
    : undefined;
  const patients = await patientsByAddress(deps.repository, message.from);
  const outbound =
    answered ??
    (await latestOutbound(deps.repository, {
      patientIds: patients.map((p) => p.id),
      channel: message.channel,
    }));
  const patientRef = outbound?.subject?.reference ?? (patients[0] ? `Patient/${patients[0].id}` : undefined);
  if (!patientRef) return 'unknown-sender';
  const action = parseReply(message.text);
  const reply = await storeReply(deps, { message, outbound, patientRef, action });
  if (action)
    await actOnReply(deps, action, {
      patientId: patientRef.slice(8),
      channel: message.channel,
      outbound,
      reply,
    });
  return 'recorded';
}

async function storeReply(
  deps: EngagementDeps,
  input: {
    message: InboundMessage;
    outbound?: Communication & { id: string };
    patientRef: string;
    action?: string;
  },
): Promise<Communication & { id: string }> {
  const { message, outbound, patientRef, action } = input;
  const at = deps.clock.now().toISOString();
  const reply: Communication = {
    resourceType: 'Communication',
    identifier: [{ system: PROVIDER_MESSAGE_SYSTEM, value: message.providerId }],
    ...(action ? { extension: [{ url: REPLY_ACTION_URL, valueCode: action }] } : {}),
    status: 'completed',
    ...(outbound
      ? { inResponseTo: [{ reference: `Communication/${outbound.id}` }], about: outbound.about }
      : {}),
    medium: [mediumOf(message.channel)],
    subject: { reference: patientRef },
    sender: { reference: patientRef, display: message.from },
    sent: at,
    received: at,
    payload: [{ contentString: message.text }],
  };
  const { resource } = await deps.repository.create(reply, {
    ifNoneExist: `identifier=${PROVIDER_MESSAGE_SYSTEM}|${message.providerId}`,
  });
  return resource;
}
