import type { BundleEntry, Patient, Provenance } from '@medplum/fhirtypes';
import {
  buildAck,
  hl7Timestamp,
  planAcks,
  type AckCode,
  type AckOutcome,
  type AckError,
  type MessageHeader,
} from '../../hl7v2/index.ts';
import type { FhirRepository, InboundMessage, InboundStatus } from '../../store/index.ts';
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
 * replaced-by after a merge) are not the sender's to erase, so they are carried over. All the
 * Patients upserted by identifier are looked up in one search (`identifier=a|1,b|2`).
 */
export async function keepIdentityLinks(
  repository: FhirRepository,
  entries: BundleEntry[],
): Promise<BundleEntry[]> {
  const existing = await upsertedPatients(repository, entries);
  return entries.map((entry, index) => {
    const patient = existing.get(index);
    if (!patient?.link && patient?.active === undefined) return entry;
    return {
      ...entry,
      resource: {
        ...(entry.resource as Patient),
        ...(patient.link ? { link: patient.link } : {}),
        ...(patient.active !== undefined ? { active: patient.active } : {}),
      },
    };
  });
}

/** The stored Patient each conditional Patient update would replace, by entry index. */
async function upsertedPatients(
  repository: FhirRepository,
  entries: BundleEntry[],
): Promise<Map<number, Patient>> {
  const criteria = new Map<number, [string, string][]>();
  for (const [index, entry] of entries.entries()) {
    const url = entry.request?.url ?? '';
    if (entry.resource?.resourceType === 'Patient' && entry.request?.method === 'PUT' && url.includes('?'))
      criteria.set(index, [...new URLSearchParams(url.split('?')[1])]);
  }
  const tokens = new Map([...criteria].map(([index, params]) => [index, simpleToken(params)]));
  const byToken = await patientsByIdentifier(repository, [...tokens.values()]);
  const found = new Map<number, Patient>();
  for (const [index, params] of criteria) {
    const token = tokens.get(index);
    const patient = token ? byToken.get(token) : await firstMatch(repository, params);
    if (patient) found.set(index, patient);
  }
  return found;
}

/** `system|value` when the criteria are one plain identifier (most are); else undefined. */
function simpleToken(params: [string, string][]): string | undefined {
  const [name, token] = params[0] ?? [];
  if (params.length !== 1 || name !== 'identifier' || !token || /[$\\]/.test(token)) return undefined;
  return token.split('|').length === 2 ? token : undefined;
}

async function firstMatch(
  repository: FhirRepository,
  params: [string, string][],
): Promise<Patient | undefined> {
  const found = await repository.search({ resourceType: 'Patient', params });
  return found.entry?.[0]?.resource as Patient | undefined;
}

async function patientsByIdentifier(
  repository: FhirRepository,
  tokens: (string | undefined)[],
): Promise<Map<string, Patient>> {
  const wanted = [...new Set(tokens.filter((token): token is string => Boolean(token)))];
  if (wanted.length === 0) return new Map();
  const found = await repository.search({
    resourceType: 'Patient',
    params: [
      // A comma inside a value is escaped: the search splits the OR list on bare commas only.
      ['identifier', wanted.map((token) => token.replace(/,/g, '\\,')).join(',')],
      ['_count', String(wanted.length * 2 + 10)],
    ],
  });
  const byIdentifier = new Map<string, Patient>();
  for (const entry of found.entry ?? []) {
    const patient = entry.resource as Patient;
    // Results come in id order; the first per identifier is the one a single search would give.
    for (const identifier of patient.identifier ?? []) {
      const token = `${identifier.system ?? ''}|${identifier.value ?? ''}`;
      if (!byIdentifier.has(token)) byIdentifier.set(token, patient);
    }
  }
  return byIdentifier;
}

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
