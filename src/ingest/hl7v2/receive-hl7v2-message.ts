import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { isDatabaseUnavailable, isThroughlineError } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  parseMessage,
  readHeader,
  type AckOutcome,
  type AckError,
  type MessageHeader,
} from '../../hl7v2/index.ts';
import {
  finishInboundMessage,
  recordInboundMessage,
  type FhirRepository,
  type InboundMessage,
  type SqlDatabase,
} from '../../store/index.ts';
import { ackForError, looseHeader } from './hl7v2-outcome.ts';
import { sourceOf, type MapContext } from './map-context.ts';
import {
  buildAcks,
  identityElements,
  messageProvenance,
  statusOf,
  storedAcks,
  type BuiltAcks,
} from './message-entries.ts';
import { mappingFor } from './mappings.ts';

export interface Hl7v2Deps {
  db: SqlDatabase;
  repository: FhirRepository;
  clock: Clock;
  logger: Logger;
  /** MSH-3 of our ACKs. */
  application?: string;
}

export interface ReceiveResult extends BuiltAcks {
  status: InboundMessage['status'];
  messageId?: string;
}

/**
 * Receives one HL7 v2 message from any transport (MLLP, HTTPS, file): store the exact bytes
 * first, answer a resend with the stored ACK byte for byte, map to FHIR, write everything in
 * one FHIR transaction, and only then build the ACK. Never AA unless everything is committed.
 */
export async function receiveHl7v2Message(
  deps: Hl7v2Deps,
  raw: Buffer,
  transport: { kind: string; remote?: string },
): Promise<ReceiveResult> {
  const loose = looseHeader(raw);
  const stored = await deps.db.transaction((tx) =>
    recordInboundMessage(tx, { ...loose, transport: transport.kind, remoteAddress: transport.remote }, raw),
  );
  const { message } = stored;
  if (stored.kind === 'resend' && message.ack && message.status !== 'received') {
    return {
      ...storedAcks(loose, { ...message, ack: message.ack }),
      status: message.status,
      messageId: message.id,
    };
  }
  if (stored.kind === 'conflict') {
    const error: AckError = {
      code: '205',
      message: `Message control id ${loose.controlId} was already used for different content; this message was rejected and kept (#${stored.message.id})`,
      location: { segment: 'MSH', sequence: 1, field: 10 },
    };
    return finish(deps, stored.message, { header: loose, code: 'AR', error, resources: [] });
  }
  return processStored(deps, stored.message, raw);
}

/** Parses, maps and writes a stored message (also used to reprocess a failed one). */
export async function processStored(
  deps: Hl7v2Deps,
  stored: InboundMessage,
  raw: Buffer,
): Promise<ReceiveResult> {
  let header: Partial<MessageHeader> = looseHeader(raw);
  try {
    const message = parseMessage(raw);
    header = readHeader(message);
    const context: MapContext = {
      message,
      header: header as MessageHeader,
      source: sourceOf(header as MessageHeader),
    };
    const entries = mappingFor(header.messageType!, header.triggerEvent)(context);
    const provenance = messageProvenance(context, { entries, messageId: stored.id, now: deps.clock.now() });
    const response = await writeRetryingConflicts(deps, [...entries, provenance]);
    const resources = (response.entry ?? [])
      .map((entry) => entry.response?.location?.replace(/\/_history\/.*$/, ''))
      .filter((ref): ref is string => Boolean(ref));
    return finish(deps, stored, { header, code: 'AA', resources });
  } catch (error) {
    // Not the message's fault: no ACK at all (the sender resends; the stored row is reprocessed).
    if (isDatabaseUnavailable(error)) throw error;
    const { code, error: ackError } = ackForError(error);
    if (ackError.code === '207')
      deps.logger.warn({ messageId: stored.id, err: error }, 'HL7 v2 message failed');
    return finish(deps, stored, { header, code, error: ackError, resources: [] });
  }
}

/**
 * The Patient update requires the version it read (so a merge is never undone); when the
 * identity service links or merges that Patient in between, the write fails with
 * VERSION_CONFLICT and is simply tried again on fresh data — a few times, then it is an AE.
 */
async function writeRetryingConflicts(deps: Hl7v2Deps, entry: BundleEntry[]): Promise<Bundle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.repository.processBundle(
        { resourceType: 'Bundle', type: 'transaction', entry },
        { keepElements: identityElements },
      );
    } catch (error) {
      if (attempt >= 3 || !isThroughlineError(error) || error.code !== 'VERSION_CONFLICT') throw error;
    }
  }
}

/** How processing a stored message ended. */
interface Processed {
  /** The message's header, as much of it as could be read: the ACKs answer it. */
  header: Partial<MessageHeader>;
  code: AckOutcome['code'];
  error?: AckError;
  /** What the write created or updated (`Type/id`). */
  resources: string[];
}

async function finish(
  deps: Hl7v2Deps,
  stored: InboundMessage,
  { header, code, error, resources }: Processed,
): Promise<ReceiveResult> {
  const acks = buildAcks(deps, { storedId: stored.id, header }, { code, error });
  const status = statusOf(code);
  await finishInboundMessage(deps.db, stored.id, { status, ...acks, error: error?.message, resources });
  return { ...acks, status, messageId: stored.id };
}
