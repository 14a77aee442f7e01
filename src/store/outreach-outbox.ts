import type { SqlExecutor } from './sql/database.ts';

/** A message the local outbox holds instead of sending it. */
export interface OutboxMessage {
  idempotencyKey: string;
  channel: string;
  recipient: string;
  subject?: string;
  body: string;
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: string;
  createdAt: string;
}

/** Keeps the message; the same idempotency key twice is the same row (nothing is "sent" twice). */
export async function keepOutboxMessage(db: SqlExecutor, message: OutboxMessage): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO outreach_outbox (idempotency_key, channel, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key RETURNING id`,
    [message.idempotencyKey, message.channel, message.recipient, message.subject ?? null, message.body],
  );
  return String(result.rows[0]!.id);
}

interface OutboxRow {
  id: string;
  idempotency_key: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  created_at: string;
}

/** The newest messages first. */
export async function listOutboxMessages(
  db: SqlExecutor,
  page: { limit: number; offset: number },
): Promise<StoredOutboxMessage[]> {
  const result = await db.query<OutboxRow>(
    `SELECT id, idempotency_key, channel, recipient, subject, body, created_at FROM outreach_outbox
     ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
    [page.limit, page.offset],
  );
  return result.rows.map((row) => ({
    id: String(row.id),
    idempotencyKey: row.idempotency_key,
    channel: row.channel,
    recipient: row.recipient,
    ...(row.subject ? { subject: row.subject } : {}),
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}
