import type { BundleEntry, Provenance, ProvenanceAgent, ProvenanceEntity } from '@medplum/fhirtypes';
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

/** The message being acknowledged. */
export interface AckedMessage {
  /** Its id in the message store: the ACKs' own control ids derive from it. */
  storedId: string;
  /** Its header, as much of it as could be read. */
  header: Partial<MessageHeader>;
}

/** The acknowledgments for a message's outcome, as exact bytes (stored for resends). */
export function buildAcks(
  deps: Hl7v2Deps,
  { storedId, header }: AckedMessage,
  outcome: AckOutcome,
): BuiltAcks {
  const plan = planAcks(header, outcome);
  const ack = ackBytes(deps, header, { controlId: `TL${storedId}`, acknowledgment: plan.first });
  const applicationAck =
    plan.application &&
    ackBytes(deps, header, {
      controlId: `TL${storedId}A`,
      acknowledgment: plan.application,
      ackTypes: { accept: 'NE', application: 'NE' },
    });
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

/** One acknowledgment to build. */
interface AckToBuild {
  /** The ACK's own MSH-10. */
  controlId: string;
  acknowledgment: { code: AckCode; error?: AckError };
  /** The ACK's own MSH-15/MSH-16 (an application ACK asks for none back). */
  ackTypes?: { accept: string; application: string };
}

function ackBytes(
  deps: Hl7v2Deps,
  header: Partial<MessageHeader>,
  { controlId, acknowledgment, ackTypes }: AckToBuild,
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

/** What the Provenance of one message's write records. */
export interface ProvenanceFacts {
  /** The entries the message produced: the Provenance's targets. */
  entries: BundleEntry[];
  /** The message's id in the message store. */
  messageId: string;
  /** When it is recorded. */
  now: Date;
}

/** The sending system (MSH-3, MSH-4) as the agent that assembled the data. */
function sendingSystemAgent(header: MessageHeader): ProvenanceAgent {
  return {
    type: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
          code: 'assembler',
        },
      ],
    },
    who: {
      display: `${header.sendingApplication ?? '?'} (${header.sendingFacility ?? '?'})`,
    },
  };
}

/** The stored message as the source entity, named by its type and control id. */
function sourceMessageEntity(header: MessageHeader, messageId: string): ProvenanceEntity {
  return {
    role: 'source',
    what: {
      identifier: { system: 'urn:throughline:hl7v2:message', value: messageId },
      display: `HL7 v2 ${header.messageType}^${header.triggerEvent ?? ''} ${header.controlId}`,
    },
  };
}

export function messageProvenance(
  context: MapContext,
  { entries, messageId, now }: ProvenanceFacts,
): BundleEntry {
  const provenance: Provenance = {
    resourceType: 'Provenance',
    target: entries.map((entry) => ({ reference: entry.fullUrl })),
    recorded: now.toISOString(),
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE' }],
    },
    agent: [sendingSystemAgent(context.header)],
    entity: [sourceMessageEntity(context.header, messageId)],
  };
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: provenance,
    request: { method: 'POST', url: 'Provenance' },
  };
}
