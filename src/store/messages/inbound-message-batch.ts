import type { SqlExecutor } from '../sql/database.ts';
import type { StatementParts } from '../sql/statement-parts.ts';
import { CRITERIA_LOCKS } from '../find-matches.ts';
import {
  columns,
  contentHash,
  insertColumns,
  IF_NEW_KEY,
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
 * Records new messages (status `received`) in one statement, answered in the order given: a
 * message whose key (MSH-3, MSH-4, MSH-10) is already stored — a resend, or a conflict, or
 * the same message committed a moment ago by another connection — gets `undefined`, for the
 * one-at-a-time path to answer. The unique key index decides (ON CONFLICT waits for a
 * concurrent insert of the key to commit or roll back), so no advisory lock and no lookup
 * round trip are needed; that index covers only keys with MSH-3 and MSH-4, so callers send
 * messages without them the one-at-a-time way (`hasFullKey`).
 */
export async function recordReceivedMany(
  tx: SqlExecutor,
  messages: { header: InboundHeader; raw: Buffer }[],
  options: { criteriaLockKeys?: string[] } = {},
): Promise<(InboundMessage | undefined)[]> {
  if (messages.length === 0) return [];
  // Keys in sorted order: two batches inserting the same keys (resends on two connections)
  // wait on each other's index entries in one order, so they cannot deadlock.
  const sorted = [...messages].sort((a, b) => compareKeys(messageKey(a.header), messageKey(b.header)));
  const values = sorted.flatMap(({ header, raw }) =>
    insertValues({ header, raw, hash: contentHash(raw), status: 'received' }),
  );
  // The criteria locks of the Bundle to come (`criteriaLockKeys`), taken before any row is
  // inserted: every writer takes criteria locks before anything else, so the order holds.
  const locks = values.length + 1;
  const result = await tx.query<MessageRow>(
    `WITH locked AS MATERIALIZED (SELECT count(${CRITERIA_LOCKS}) AS n FROM unnest($${locks}::text[]) AS k)
     INSERT INTO inbound_message (${insertColumns})
     SELECT v.* FROM locked, (VALUES ${valuesList(sorted.length)}) AS v
     ${IF_NEW_KEY} RETURNING ${columns}`,
    [...values, options.criteriaLockKeys ?? []],
    // One text per batch size: as many as the receiver's largest batch (32).
    { prepare: true },
  );
  // RETURNING's order is not promised by SQL: match rows to messages by key (unique in a batch).
  const byKey = new Map(result.rows.map((row) => [messageKey(toMessage(row)), toMessage(row)]));
  return messages.map(({ header }) => byKey.get(messageKey(header)));
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** MSH-3, MSH-4 and MSH-10 all present: the unique key index can tell a resend at insert. */
export function hasFullKey(header: InboundHeader): boolean {
  return Boolean(header.sendingApplication && header.sendingFacility && header.controlId);
}

export interface InboundOutcome {
  id: string;
  status: InboundStatus;
  ack: Buffer;
  applicationAck?: Buffer;
  error?: string;
  resources: string[];
}

/**
 * `finishInboundMessage` for many messages, as a CTE of the write statement that stores their
 * resources (`messageBatchTransaction`): the outcome commits with what the messages produced.
 */
export function finishParts(outcomes: InboundOutcome[]): (parts: StatementParts) => void {
  return (parts) => {
    if (outcomes.length === 0) return;
    const values = parts.params(
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.ack),
        outcomes.map((outcome) => outcome.applicationAck ?? null),
        outcomes.map((outcome) => outcome.error ?? null),
        outcomes.map((outcome) => JSON.stringify(outcome.resources)),
      ],
      ['bigint', 'text', 'bytea', 'bytea', 'text', 'jsonb'],
    );
    parts.cte(
      'w_inbound',
      `UPDATE inbound_message m SET status = v.status, ack = v.ack, application_ack = v.application_ack,
         error = v.error, resources = v.resources, attempts = m.attempts + 1, processed_at = now()
       FROM unnest(${values}) AS v(id, status, ack, application_ack, error, resources) WHERE m.id = v.id`,
    );
  };
}
