import type { SqlExecutor } from '../sql/database.ts';

/** An outbound message to keep before it is sent. */
export interface NewOutboundMessage {
  destination: string;
  /** Unique per destination: the write and the event it reports (a replay finds the row). */
  key: string;
  controlId: string;
  messageType: string;
  triggerEvent: string;
  /** `Type/id/_history/version` of what the message reports. */
  resource?: string;
  raw: Buffer;
}

/** pending: not yet acknowledged; accepted: AA/CA; error: AE; rejected: AR. */
export type OutboundStatus = 'pending' | 'accepted' | 'error' | 'rejected';

export interface OutboundMessage extends Omit<NewOutboundMessage, 'raw'> {
  id: string;
  raw: Buffer;
  status: OutboundStatus;
  ack?: Buffer;
  error?: string;
  attempts: number;
  createdAt: string;
  sentAt?: string;
}

interface OutboundRow {
  id: string;
  destination: string;
  message_key: string;
  control_id: string;
  message_type: string;
  trigger_event: string;
  resource: string | null;
  raw: Uint8Array;
  status: OutboundStatus;
  ack: Uint8Array | null;
  error: string | null;
  attempts: number;
  created_at: string;
  sent_at: string | null;
}

const columns = `id, destination, message_key, control_id, message_type, trigger_event, resource, raw, status, ack,
  error, attempts, created_at, sent_at`;

/**
 * Keeps the message before it is sent, or returns the one already kept under its key (with its
 * original bytes and control id: a resend is the same message, which the receiver can drop).
 */
export async function keepOutboundMessage(
  db: SqlExecutor,
  message: NewOutboundMessage,
): Promise<OutboundMessage> {
  const { destination, key, controlId, messageType, triggerEvent, resource, raw } = message;
  await db.query(
    `INSERT INTO outbound_message (destination, message_key, control_id, message_type, trigger_event, resource, raw)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (destination, message_key) DO NOTHING`,
    [destination, key, controlId, messageType, triggerEvent, resource ?? null, raw],
  );
  const result = await db.query<OutboundRow>(
    `SELECT ${columns} FROM outbound_message WHERE destination = $1 AND message_key = $2`,
    [destination, key],
  );
  return toMessage(result.rows[0]!);
}

/** What one attempt came to: the ACK when one came, else why not (still pending). */
export interface OutboundAttempt {
  status: OutboundStatus;
  ack?: Buffer;
  error?: string;
}

export async function recordOutboundAttempt(
  db: SqlExecutor,
  id: string,
  attempt: OutboundAttempt,
): Promise<void> {
  await db.query(
    `UPDATE outbound_message SET status = $2, ack = COALESCE($3, ack), error = $4, attempts = attempts + 1,
       sent_at = CASE WHEN $3::bytea IS NULL THEN sent_at ELSE now() END WHERE id = $1`,
    [id, attempt.status, attempt.ack ?? null, attempt.error ?? null],
  );
}

/** One outbound message by id, or undefined. */
export async function getOutboundMessage(db: SqlExecutor, id: string): Promise<OutboundMessage | undefined> {
  const result = await db.query<OutboundRow>(`SELECT ${columns} FROM outbound_message WHERE id = $1`, [id]);
  return result.rows[0] ? toMessage(result.rows[0]) : undefined;
}

/** The newest outbound messages, optionally of one destination or status. */
export async function listOutboundMessages(
  db: SqlExecutor,
  query: { destination?: string; status?: OutboundStatus; limit?: number } = {},
): Promise<OutboundMessage[]> {
  const result = await db.query<OutboundRow>(
    `SELECT ${columns} FROM outbound_message WHERE ($1::text IS NULL OR destination = $1)
       AND ($2::text IS NULL OR status = $2) ORDER BY id DESC LIMIT $3`,
    [query.destination ?? null, query.status ?? null, query.limit ?? 100],
  );
  return result.rows.map(toMessage);
}

function toMessage(row: OutboundRow): OutboundMessage {
  return {
    id: String(row.id),
    destination: row.destination,
    key: row.message_key,
    controlId: row.control_id,
    messageType: row.message_type,
    triggerEvent: row.trigger_event,
    ...(row.resource ? { resource: row.resource } : {}),
    raw: Buffer.from(row.raw),
    status: row.status,
    ...(row.ack ? { ack: Buffer.from(row.ack) } : {}),
    ...(row.error ? { error: row.error } : {}),
    attempts: row.attempts,
    createdAt: String(row.created_at),
    ...(row.sent_at ? { sentAt: String(row.sent_at) } : {}),
  };
}
