import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../sql/database.ts';
import { ThroughlineError } from '../../kernel/errors.ts';

/** What is known of a message before it is processed (from its header). */
export interface InboundHeader {
  protocol?: string;
  sendingApplication?: string;
  sendingFacility?: string;
  controlId?: string;
  messageType?: string;
  triggerEvent?: string;
  version?: string;
  transport?: string;
  remoteAddress?: string;
}

export type InboundStatus = 'received' | 'processed' | 'failed' | 'rejected';

export interface InboundMessage extends InboundHeader {
  id: string;
  raw: Buffer;
  contentHash: string;
  status: InboundStatus;
  error?: string;
  ack?: Buffer;
  /** Enhanced mode: the application ACK sent after the accept ACK (`ack`), when MSH-16 asked. */
  applicationAck?: Buffer;
  resources: string[];
  duplicateOf?: string;
  attempts: number;
  receivedAt: string;
  processedAt?: string;
}

/** The outcome of recording: a new message, a resend of a known one, or a conflicting resend. */
export type RecordResult =
  | { kind: 'new'; message: InboundMessage }
  | { kind: 'resend'; message: InboundMessage }
  | { kind: 'conflict'; message: InboundMessage; original: InboundMessage };

export interface MessageRow {
  id: string;
  protocol: string;
  sending_application: string | null;
  sending_facility: string | null;
  control_id: string | null;
  message_type: string | null;
  trigger_event: string | null;
  version: string | null;
  raw: Uint8Array;
  content_hash: string;
  status: InboundStatus;
  error: string | null;
  ack: Uint8Array | null;
  application_ack: Uint8Array | null;
  resources: string[] | string;
  duplicate_of: string | null;
  transport: string | null;
  remote_address: string | null;
  attempts: number;
  received_at: string;
  processed_at: string | null;
}

export const columns = `id, protocol, sending_application, sending_facility, control_id, message_type, trigger_event, version,
  raw, content_hash, status, error, ack, application_ack, resources, duplicate_of, transport, remote_address, attempts, received_at, processed_at`;

export function contentHash(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * Stores a message before anything is done with it (nothing acknowledged is ever lost), keyed
 * by (sending application, sending facility, control id). The advisory lock on the key makes
 * two simultaneous sends of one message record it once.
 */
export async function recordInboundMessage(
  tx: SqlExecutor,
  header: InboundHeader,
  raw: Buffer,
): Promise<RecordResult> {
  const received: ReceivedMessage = { header, raw, hash: contentHash(raw) };
  if (header.controlId) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 4))', [messageKey(header)]);
    const original = await findByKey(tx, header);
    if (original) {
      if (original.contentHash === received.hash) return { kind: 'resend', message: original };
      return { kind: 'conflict', message: await insertConflict(tx, received, original), original };
    }
  }
  const message = await insertIfNew(tx, received);
  if (message) return { kind: 'new', message };
  // The key was committed a moment ago by a group commit (which takes no advisory lock: the
  // unique key index decides there); this statement's fresh snapshot now sees it.
  const original = await findByKey(tx, header);
  if (!original)
    throw new ThroughlineError('INTERNAL', `Message key ${messageKey(header)} conflicted but is not stored`);
  if (original.contentHash === received.hash) return { kind: 'resend', message: original };
  return { kind: 'conflict', message: await insertConflict(tx, received, original), original };
}

/** A resend of a stored key with other content: recorded as rejected, pointing at the original. */
function insertConflict(
  tx: SqlExecutor,
  received: ReceivedMessage,
  original: InboundMessage,
): Promise<InboundMessage> {
  return insert(tx, { ...received, status: 'rejected', error: sameKeyError, duplicateOf: original.id });
}

const sameKeyError = 'Same MSH-3/MSH-4/MSH-10 as an earlier message with different content';

/** Inserts a `received` row unless its key is stored already (then `undefined`). */
async function insertIfNew(tx: SqlExecutor, received: ReceivedMessage): Promise<InboundMessage | undefined> {
  const result = await tx.query<MessageRow>(
    `INSERT INTO inbound_message (${insertColumns}) VALUES ${valuesList(1)} ${IF_NEW_KEY} RETURNING ${columns}`,
    insertValues({ ...received, status: 'received' }),
  );
  return result.rows[0] ? toMessage(result.rows[0]) : undefined;
}

/** The idempotency key: (MSH-3, MSH-4, MSH-10). */
export function messageKey(header: InboundHeader): string {
  return [header.sendingApplication ?? '', header.sendingFacility ?? '', header.controlId ?? ''].join(
    '\u001f',
  );
}

async function findByKey(tx: SqlExecutor, header: InboundHeader): Promise<InboundMessage | undefined> {
  const result = await tx.query<MessageRow>(
    `SELECT ${columns} FROM inbound_message WHERE coalesce(sending_application, '') = $1
       AND coalesce(sending_facility, '') = $2 AND control_id = $3 AND duplicate_of IS NULL`,
    [header.sendingApplication ?? '', header.sendingFacility ?? '', header.controlId],
  );
  return result.rows[0] ? toMessage(result.rows[0]) : undefined;
}

async function insert(tx: SqlExecutor, row: NewMessageRow): Promise<InboundMessage> {
  const result = await tx.query<MessageRow>(
    `INSERT INTO inbound_message (${insertColumns}) VALUES ${valuesList(1)} RETURNING ${columns}`,
    insertValues(row),
  );
  return toMessage(result.rows[0]!);
}

export const insertColumns = `protocol, sending_application, sending_facility, control_id, message_type, trigger_event,
  version, raw, content_hash, status, error, duplicate_of, transport, remote_address`;

/** The types of `insertColumns`, in order. */
const insertTypes = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'bytea',
  'text',
  'text',
  'text',
  'bigint',
  'text',
  'text',
];

/**
 * `($1::text, …, $14::text), ($15::text, …)`: one row of insertValues per message, each
 * placeholder cast to its column's type so the list also serves as VALUES inside a SELECT.
 */
export function valuesList(rows: number): string {
  return Array.from(
    { length: rows },
    (_, row) =>
      `(${insertTypes.map((type, column) => `$${row * insertTypes.length + column + 1}::${type}`).join(', ')})`,
  ).join(', ');
}

/** An insert of a message whose key (MSH-3, MSH-4, MSH-10) is stored already does nothing. */
export const IF_NEW_KEY = `ON CONFLICT (sending_application, sending_facility, control_id)
  WHERE control_id IS NOT NULL AND duplicate_of IS NULL DO NOTHING`;

/** A message as received: its header, its exact bytes and their `contentHash`. */
export interface ReceivedMessage {
  header: InboundHeader;
  raw: Buffer;
  hash: string;
}

/** One `inbound_message` row to insert: the message and how it is recorded. */
export interface NewMessageRow extends ReceivedMessage {
  status: InboundStatus;
  error?: string;
  /** The earlier message with the same key (MSH-3, MSH-4, MSH-10), for a resend with other content. */
  duplicateOf?: string;
}

/** The parameters of one row of `valuesList`, in `insertColumns` order. */
export function insertValues(row: NewMessageRow): unknown[] {
  const { header, raw, hash, status, error, duplicateOf } = row;
  return [
    header.protocol ?? 'hl7v2',
    header.sendingApplication ?? null,
    header.sendingFacility ?? null,
    header.controlId ?? null,
    header.messageType ?? null,
    header.triggerEvent ?? null,
    header.version ?? null,
    raw,
    hash,
    status,
    error ?? null,
    duplicateOf ?? null,
    header.transport ?? null,
    header.remoteAddress ?? null,
  ];
}

/** Records how processing ended, the exact ACK bytes sent, and the resources produced. */
export async function finishInboundMessage(
  db: SqlExecutor,
  id: string,
  outcome: {
    status: InboundStatus;
    ack?: Buffer;
    applicationAck?: Buffer;
    error?: string;
    resources?: string[];
  },
): Promise<void> {
  await db.query(
    `UPDATE inbound_message SET status = $2, ack = COALESCE($3, ack), application_ack = $4, error = $5,
       resources = $6::jsonb, attempts = attempts + 1, processed_at = now() WHERE id = $1`,
    [
      id,
      outcome.status,
      outcome.ack ?? null,
      outcome.applicationAck ?? null,
      outcome.error ?? null,
      JSON.stringify(outcome.resources ?? []),
    ],
  );
}

export async function getInboundMessage(db: SqlExecutor, id: string): Promise<InboundMessage> {
  if (!/^\d{1,18}$/.test(id)) throw new ThroughlineError('NOT_FOUND', `Message ${id} not found`);
  const result = await db.query<MessageRow>(`SELECT ${columns} FROM inbound_message WHERE id = $1`, [id]);
  if (!result.rows[0]) throw new ThroughlineError('NOT_FOUND', `Message ${id} not found`);
  return toMessage(result.rows[0]);
}

export interface MessageQuery {
  status?: InboundStatus;
  messageType?: string;
  controlId?: string;
  sendingApplication?: string;
  limit?: number;
  beforeId?: string;
}

/** Newest first; `beforeId` pages further back. `status: 'failed'` is the dead-letter list. */
export async function listInboundMessages(db: SqlExecutor, query: MessageQuery): Promise<InboundMessage[]> {
  const result = await db.query<MessageRow>(
    `SELECT ${columns} FROM inbound_message
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR message_type = $2)
       AND ($3::text IS NULL OR control_id = $3) AND ($4::text IS NULL OR sending_application = $4)
       AND ($5::bigint IS NULL OR id < $5)
     ORDER BY id DESC LIMIT $6`,
    [
      query.status ?? null,
      query.messageType ?? null,
      query.controlId ?? null,
      query.sendingApplication ?? null,
      query.beforeId ?? null,
      Math.min(query.limit ?? 50, 500),
    ],
  );
  return result.rows.map(toMessage);
}

export function toMessage(row: MessageRow): InboundMessage {
  const resources =
    typeof row.resources === 'string' ? (JSON.parse(row.resources) as string[]) : row.resources;
  return {
    id: String(row.id),
    protocol: row.protocol,
    sendingApplication: row.sending_application ?? undefined,
    sendingFacility: row.sending_facility ?? undefined,
    controlId: row.control_id ?? undefined,
    messageType: row.message_type ?? undefined,
    triggerEvent: row.trigger_event ?? undefined,
    version: row.version ?? undefined,
    transport: row.transport ?? undefined,
    remoteAddress: row.remote_address ?? undefined,
    raw: Buffer.from(row.raw),
    contentHash: row.content_hash,
    status: row.status,
    error: row.error ?? undefined,
    ack: row.ack ? Buffer.from(row.ack) : undefined,
    applicationAck: row.application_ack ? Buffer.from(row.application_ack) : undefined,
    resources,
    duplicateOf: row.duplicate_of ? String(row.duplicate_of) : undefined,
    attempts: row.attempts,
    receivedAt: String(row.received_at),
    processedAt: row.processed_at ? String(row.processed_at) : undefined,
  };
}
