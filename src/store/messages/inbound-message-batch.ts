import type { SqlExecutor } from '../sql/database.ts';
import {
  columns,
  contentHash,
  insertColumns,
  insertValues,
  messageKey,
  toMessage,
  valuesList,
  type InboundHeader,
  type InboundMessage,
  type InboundStatus,
  type MessageRow,
} from './inbound-messages.ts';

/**
 * The message store for a group commit: several messages received at once (from different
 * connections) recorded in one transaction, a few round trips for all of them. The rules are
 * those of `recordInboundMessage`; messages already stored are returned for the caller to hand
 * to the one-at-a-time path (a resend or a conflict).
 */

/**
 * Locks the keys of the given messages (in sorted order, so two batches cannot deadlock) and
 * returns the ones already stored, by `messageKey`.
 */
export async function lockAndFindStored(
  tx: SqlExecutor,
  headers: InboundHeader[],
): Promise<Map<string, InboundMessage>> {
  const keyed = headers.filter((header) => header.controlId);
  if (keyed.length === 0) return new Map();
  const keys = [...new Set(keyed.map(messageKey))].sort();
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 4)) FROM unnest($1::text[]) AS k', [keys]);
  // The same expressions as inbound_message_lookup_idx (migration 014), probed once per key.
  const result = await tx.query<MessageRow>(
    `SELECT ${columns} FROM inbound_message WHERE duplicate_of IS NULL
       AND (coalesce(sending_application, ''), coalesce(sending_facility, ''), control_id) IN
         (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
    [
      keyed.map((header) => header.sendingApplication ?? ''),
      keyed.map((header) => header.sendingFacility ?? ''),
      keyed.map((header) => header.controlId),
    ],
  );
  return new Map(result.rows.map((row) => [messageKey(toMessage(row)), toMessage(row)]));
}

/** Records new messages (status `received`), answered in the order given. */
export async function insertReceived(
  tx: SqlExecutor,
  messages: { header: InboundHeader; raw: Buffer }[],
): Promise<InboundMessage[]> {
  if (messages.length === 0) return [];
  const result = await tx.query<MessageRow>(
    `INSERT INTO inbound_message (${insertColumns}) VALUES ${valuesList(messages.length)} RETURNING ${columns}`,
    messages.flatMap(({ header, raw }) => insertValues(header, raw, contentHash(raw), 'received')),
  );
  // RETURNING's order is not promised by SQL: match rows to messages by key (unique in a batch).
  const byKey = new Map(result.rows.map((row) => [messageKey(toMessage(row)), toMessage(row)]));
  return messages.map(({ header }) => byKey.get(messageKey(header))!);
}

export interface InboundOutcome {
  id: string;
  status: InboundStatus;
  ack: Buffer;
  applicationAck?: Buffer;
  error?: string;
  resources: string[];
}

/** `finishInboundMessage` for many messages in one statement. */
export async function finishMany(tx: SqlExecutor, outcomes: InboundOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map(
    (_, n) =>
      `($${n * 6 + 1}::bigint, $${n * 6 + 2}::text, $${n * 6 + 3}::bytea, $${n * 6 + 4}::bytea, $${n * 6 + 5}::text, $${n * 6 + 6}::jsonb)`,
  );
  await tx.query(
    `UPDATE inbound_message m SET status = v.status, ack = v.ack, application_ack = v.application_ack,
       error = v.error, resources = v.resources, attempts = m.attempts + 1, processed_at = now()
     FROM (VALUES ${rows.join(', ')}) AS v(id, status, ack, application_ack, error, resources) WHERE m.id = v.id`,
    outcomes.flatMap((outcome) => [
      outcome.id,
      outcome.status,
      outcome.ack,
      outcome.applicationAck ?? null,
      outcome.error ?? null,
      JSON.stringify(outcome.resources),
    ]),
  );
}
