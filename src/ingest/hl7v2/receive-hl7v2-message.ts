import type { BundleEntry, Patient, Provenance } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';
import {
  buildAck,
  hl7Timestamp,
  parseMessage,
  readHeader,
  type AckCode,
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
import { ackForError, looseHeader, successCode } from './hl7v2-outcome.ts';
import { sourceOf, type MapContext } from './map-context.ts';
import { mappingFor } from './mappings.ts';

export interface Hl7v2Deps {
  db: SqlDatabase;
  repository: FhirRepository;
  clock: Clock;
  logger: Logger;
  /** MSH-3 of our ACKs. */
  application?: string;
}

export interface ReceiveResult {
  ack: Buffer;
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
  if (stored.kind === 'resend' && stored.message.ack && stored.message.status !== 'received') {
    return { ack: stored.message.ack, status: stored.message.status, messageId: stored.message.id };
  }
  if (stored.kind === 'conflict') {
    const error: AckError = {
      code: '205',
      message: `Message control id ${loose.controlId} was already used for different content; this message was rejected and kept (#${stored.message.id})`,
      location: { segment: 'MSH', sequence: 1, field: 10 },
    };
    return finish(deps, stored.message, loose, 'AR', error, []);
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
  let enhanced = false;
  try {
    const message = parseMessage(raw);
    header = readHeader(message);
    enhanced = Boolean(header.acceptAckType);
    const context: MapContext = {
      message,
      header: header as MessageHeader,
      source: sourceOf(header as MessageHeader),
    };
    const entries = await withIdentityLinks(
      deps.repository,
      mappingFor(header.messageType!, header.triggerEvent)(context),
    );
    const provenance = messageProvenance(context, entries, stored.id, deps.clock.now());
    const response = await deps.repository.processBundle({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [...entries, provenance],
    });
    const resources = (response.entry ?? [])
      .map((entry) => entry.response?.location?.replace(/\/_history\/.*$/, ''))
      .filter((ref): ref is string => Boolean(ref));
    return finish(deps, stored, header, successCode(enhanced), undefined, resources);
  } catch (error) {
    const { code, error: ackError } = ackForError(error, enhanced);
    if (ackError.code === '207')
      deps.logger.warn({ messageId: stored.id, err: error }, 'HL7 v2 message failed');
    return finish(deps, stored, header, code, ackError, []);
  }
}

async function finish(
  deps: Hl7v2Deps,
  stored: InboundMessage,
  header: Partial<MessageHeader>,
  code: AckCode,
  error: AckError | undefined,
  resources: string[],
): Promise<ReceiveResult> {
  const ack = Buffer.from(
    buildAck({
      request: header,
      code,
      error,
      controlId: `TL${stored.id}`,
      timestamp: hl7Timestamp(deps.clock.now()),
      receiver: { application: deps.application ?? 'THROUGHLINE' },
    }),
    'utf8',
  );
  const status =
    code === 'AA' || code === 'CA' ? 'processed' : code === 'AR' || code === 'CR' ? 'rejected' : 'failed';
  await finishInboundMessage(deps.db, stored.id, { status, ack, error: error?.message, resources });
  return { ack, status, messageId: stored.id };
}

/**
 * An ADT's PID replaces the whole Patient; the identity service's links (golden record,
 * replaced-by after a merge) are not the sender's to erase, so they are carried over.
 */
async function withIdentityLinks(repository: FhirRepository, entries: BundleEntry[]): Promise<BundleEntry[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const url = entry.request?.url ?? '';
      if (entry.resource?.resourceType !== 'Patient' || entry.request?.method !== 'PUT' || !url.includes('?'))
        return entry;
      const found = await repository.search({
        resourceType: 'Patient',
        params: [...new URLSearchParams(url.split('?')[1])],
      });
      const existing = found.entry?.[0]?.resource as Patient | undefined;
      if (!existing?.link && existing?.active === undefined) return entry;
      return {
        ...entry,
        resource: {
          ...(entry.resource as Patient),
          ...(existing.link ? { link: existing.link } : {}),
          ...(existing.active !== undefined ? { active: existing.active } : {}),
        },
      };
    }),
  );
}

function messageProvenance(
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
