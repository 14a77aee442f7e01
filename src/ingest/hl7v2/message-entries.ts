import type { BundleEntry, Provenance } from '@medplum/fhirtypes';
import {
  buildAck,
  hl7Timestamp,
  planAcks,
  type AckCode,
  type AckOutcome,
  type AckError,
  type MessageHeader,
} from '../../hl7v2/index.ts';
import type { InboundMessage, InboundStatus } from '../../store/index.ts';
import type { MapContext } from './map-context.ts';
import type { Hl7v2Deps } from './receive-hl7v2-message.ts';

/** What the message store records for a processing outcome. */
export function statusOf(code: AckOutcome['code']): InboundStatus {
  return code === 'AA' ? 'processed' : code === 'AR' ? 'rejected' : 'failed';
}

export interface BuiltAcks {
  /** The ACK (original mode) or accept ACK (enhanced mode): always built and stored. */
  ack: Buffer;
  /** Enhanced mode, when MSH-16 asks: the application ACK. */
  applicationAck?: Buffer;
  /** What goes back to the sender, in order, as MSH-15/MSH-16 ask. */
  send: Buffer[];
}

/** The acknowledgments for a message's outcome, as exact bytes (stored for resends). */
export function buildAcks(
  deps: Hl7v2Deps,
  storedId: string,
  header: Partial<MessageHeader>,
  outcome: AckOutcome,
): BuiltAcks {
  const plan = planAcks(header, outcome);
  const ack = ackBytes(deps, `TL${storedId}`, header, plan.first);
  const applicationAck =
    plan.application &&
    ackBytes(deps, `TL${storedId}A`, header, plan.application, { accept: 'NE', application: 'NE' });
  return {
    ack,
    applicationAck,
    send: [...(plan.first.send ? [ack] : []), ...(applicationAck ? [applicationAck] : [])],
  };
}

/** A resend is answered with the stored acknowledgments, byte for byte, as MSH-15/16 ask. */
export function storedAcks(
  header: Partial<MessageHeader>,
  stored: InboundMessage & { ack: Buffer },
): BuiltAcks {
  const refused = /\rMSA\|[AC]R\|/.test(stored.ack.toString('latin1'));
  const plan = planAcks(header, { code: refused ? 'AR' : 'AA' });
  const send = [
    ...(plan.first.send ? [stored.ack] : []),
    ...(stored.applicationAck ? [stored.applicationAck] : []),
  ];
  return { ack: stored.ack, applicationAck: stored.applicationAck, send };
}

function ackBytes(
  deps: Hl7v2Deps,
  controlId: string,
  header: Partial<MessageHeader>,
  acknowledgment: { code: AckCode; error?: AckError },
  ackTypes?: { accept: string; application: string },
): Buffer {
  const ack = buildAck({
    request: header,
    code: acknowledgment.code,
    error: acknowledgment.error,
    controlId,
    timestamp: hl7Timestamp(deps.clock.now()),
    receiver: { application: deps.application ?? 'THROUGHLINE' },
    ackTypes,
  });
  return Buffer.from(ack, 'utf8');
}

/**
 * An ADT's PID replaces the whole Patient; the identity service's links (golden record,
 * replaced-by after a merge) and `active` are not the sender's to erase: the store keeps
 * them from the stored Patient (in the same read that finds it by identifier).
 */
export const identityElements = { Patient: ['link', 'active'] };

export function messageProvenance(
  context: MapContext,
  entries: BundleEntry[],
  messageId: string,
  now: Date,
): BundleEntry {
  const provenance: Provenance = {
    resourceType: 'Provenance',
    target: entries.map((entry) => ({ reference: entry.fullUrl })),
    recorded: now.toISOString(),
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }],
    },
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'assembler',
            },
          ],
        },
        who: {
          display: `${context.header.sendingApplication ?? '?'} (${context.header.sendingFacility ?? '?'})`,
        },
      },
    ],
    entity: [
      {
        role: 'source',
        what: {
          identifier: { system: 'urn:throughline:hl7v2:message', value: messageId },
          display: `HL7 v2 ${context.header.messageType}^${context.header.triggerEvent ?? ''} ${context.header.controlId}`,
        },
      },
    ],
  };
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: provenance,
    request: { method: 'POST', url: 'Provenance' },
  };
}
