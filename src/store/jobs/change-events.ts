import type { SqlExecutor } from '../sql/database.ts';

/** One row of the outbox: a write the store committed. */
export interface ChangeEvent {
  seq: string;
  txId: string;
  resourceType: string;
  id: string;
  versionId: string;
  action: 'create' | 'update' | 'delete';
  compartment: string | null;
  occurredAt: string;
}

interface EventRow {
  seq: string;
  tx_id: string;
  resource_type: string;
  id: string;
  version_id: string;
  action: ChangeEvent['action'];
  compartment: string | null;
  occurred_at: string;
}

/** Who takes a subscriber's lease (any string unique to the worker) and for how many seconds. */
export interface SubscriptionLease {
  holder: string;
  seconds: number;
}

/**
 * Takes the subscriber's lease (creating the subscription on first use). One holder at a time
 * per subscriber keeps its events in order; the lease expires if the holder dies. No database
 * transaction stays open while events are handled (embedded PGlite has one connection).
 */
export async function leaseSubscription(
  db: SqlExecutor,
  subscriber: string,
  lease: SubscriptionLease,
): Promise<boolean> {
  const { holder, seconds } = lease;
  // One statement, not an insert then an update: every event lane's pump and every delivery
  // run takes a lease, so this runs beside ingest many times a second.
  const result = await db.query(
    `INSERT INTO event_subscription AS s (subscriber, leased_until, leased_by)
     VALUES ($1, now() + make_interval(secs => $3), $2)
     ON CONFLICT (subscriber) DO UPDATE SET leased_until = EXCLUDED.leased_until, leased_by = EXCLUDED.leased_by
     WHERE s.leased_until IS NULL OR s.leased_until < now() OR s.leased_by = $2 RETURNING subscriber`,
    [subscriber, holder, seconds],
  );
  return result.rows.length > 0;
}

/**
 * The horizon below which every transaction that could write this database's change events has
 * ended: the oldest transaction still running in this snapshot (`pg_snapshot_xip`), leaving out
 * only the ones known to run in another database of the server (`pg_stat_activity`), or, with
 * none, the snapshot's `xmax` (a transaction that has no id yet gets one at or above it).
 * `pg_snapshot_xmin` alone would let a long transaction anywhere on the server — another
 * application's, a `psql` left open — hold back every reaction here.
 * Why it keeps commit order: change events are written only by transactions connected to this
 * database, and no running transaction of this database is ever left out — one that ended
 * after the snapshot is no longer listed as another database's, one whose `backend_xid` is
 * hidden (a role without `pg_read_all_stats`), a prepared or a sub-transaction are not listed at
 * all — so doubt keeps an id in, which only holds events back (as `pg_snapshot_xmin` did).
 * The same snapshot is read twice: a statement's `pg_current_snapshot()` does not change.
 */
const EVENT_HORIZON = `COALESCE(
  (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) x WHERE x::xid NOT IN
    (SELECT a.backend_xid FROM pg_stat_activity a WHERE a.datname <> current_database() AND a.backend_xid IS NOT NULL)),
  pg_snapshot_xmax(pg_current_snapshot()))`;

/**
 * The next events after the subscriber's cursor, in (transaction id, seq) order, only from
 * transactions older than every transaction of this database still running (`EVENT_HORIZON`):
 * a slow transaction's events can never appear behind the cursor, so none is skipped.
 */
export async function readEventsAfterCursor(
  db: SqlExecutor,
  subscriber: string,
  limit: number,
): Promise<ChangeEvent[]> {
  const result = await db.query<EventRow>(
    // LATERAL: the cursor bounds the index scan (a plain join filters every event from the
    // first one, a cost that grew with the outbox to 0.5 s a batch on PGlite).
    `SELECT e.seq, e.tx_id::text AS tx_id, e.resource_type, e.id, e.version_id, e.action, e.compartment, e.occurred_at
     FROM event_subscription s CROSS JOIN LATERAL (
       SELECT * FROM change_event e
       WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq) AND e.tx_id < ${EVENT_HORIZON}
       ORDER BY e.tx_id, e.seq LIMIT $2) e
     WHERE s.subscriber = $1 ORDER BY e.tx_id, e.seq`,
    [subscriber, limit],
  );
  return result.rows.map(eventOf);
}

function eventOf(row: EventRow): ChangeEvent {
  return {
    seq: String(row.seq),
    txId: row.tx_id,
    resourceType: row.resource_type,
    id: row.id,
    versionId: String(row.version_id),
    action: row.action,
    compartment: row.compartment,
    occurredAt: String(row.occurred_at),
  };
}

/**
 * `leaseSubscription` and `readEventsAfterCursor` in one statement: the next events after the
 * cursor, or undefined when another holder has the lease. Every event lane's pump and every
 * delivery run does both, many times a second beside ingest; as two statements that was two
 * commits (each a WAL flush) where one does. The events are read with the cursor the lease
 * returns, below the same horizon, so they are the ones `readEventsAfterCursor` would return.
 */
export async function leaseAndReadEvents(
  db: SqlExecutor,
  subscriber: string,
  read: SubscriptionLease & { limit: number },
): Promise<ChangeEvent[] | undefined> {
  const result = await db.query<EventRow>(
    `WITH s AS (
       INSERT INTO event_subscription AS s (subscriber, leased_until, leased_by)
       VALUES ($1, now() + make_interval(secs => $3), $2)
       ON CONFLICT (subscriber) DO UPDATE SET leased_until = EXCLUDED.leased_until, leased_by = EXCLUDED.leased_by
       WHERE s.leased_until IS NULL OR s.leased_until < now() OR s.leased_by = $2
       RETURNING s.last_tx_id, s.last_seq)
     SELECT e.seq, e.tx_id::text AS tx_id, e.resource_type, e.id, e.version_id, e.action, e.compartment, e.occurred_at
     FROM s LEFT JOIN LATERAL (
       SELECT * FROM change_event e
       WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq) AND e.tx_id < ${EVENT_HORIZON}
       ORDER BY e.tx_id, e.seq LIMIT $4) e ON true
     ORDER BY e.tx_id, e.seq`,
    [subscriber, read.holder, read.seconds, read.limit],
  );
  // No row: the lease is another's. One row without an event: leased, nothing to read.
  if (result.rows.length === 0) return undefined;
  return result.rows.filter((row) => row.seq !== null).map(eventOf);
}

/**
 * Moves the cursor past `last` (when given) and gives up the lease, in one statement (the end
 * of every pump and delivery run). Only while `holder` still has the lease: a holder that lost
 * it (it ran out, and another worker took it) moves nothing, and the new holder reads those
 * events again (delivery is at least once; every handler is keyed).
 */
export async function moveCursorAndRelease(
  db: SqlExecutor,
  subscriber: string,
  end: { holder: string; last?: ChangeEvent },
): Promise<void> {
  await db.query(
    `UPDATE event_subscription SET leased_until = NULL,
       last_tx_id = COALESCE($3::xid8, last_tx_id), last_seq = COALESCE($4::bigint, last_seq)
     WHERE subscriber = $1 AND leased_by = $2`,
    [subscriber, end.holder, end.last?.txId ?? null, end.last?.seq ?? null],
  );
}

/** An idle event lane asking for its next events: the types it acts on (absent: every type). */
export interface WaitingSubscriber {
  subscriber: string;
  types?: readonly string[];
}

/**
 * Of these subscribers, the ones with a cursor and nothing readable after it that they act on
 * (below the same horizon as `readEventsAfterCursor`, of their `types`): one statement for every
 * idle event lane of a worker, instead of each leasing, reading and releasing its cursor to find
 * nothing. The cursor of such a subscriber is moved, in the same statement, past the events of
 * other types (to the newest readable event) while its lease is free: a lane never reads, nor
 * moves its cursor over, a batch it has nothing to do with. Only free leases are moved, and the
 * holder is cleared, so a holder whose lease ran out cannot move the cursor back.
 */
export async function subscribersWithoutEvents(
  db: SqlExecutor,
  subscribers: WaitingSubscriber[],
): Promise<string[]> {
  const result = await db.query<{ subscriber: string }>(
    `WITH w AS (
       SELECT w.subscriber, string_to_array(w.types, ',') AS types
       FROM unnest($1::text[], $2::text[]) AS w(subscriber, types)),
     h AS (SELECT ${EVENT_HORIZON} AS horizon),
     idle AS (
       SELECT s.subscriber, s.last_tx_id, s.last_seq FROM event_subscription s JOIN w USING (subscriber), h
       WHERE NOT EXISTS (
         SELECT 1 FROM change_event e
         WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq) AND e.tx_id < h.horizon
           AND (w.types IS NULL OR e.resource_type = ANY (w.types)))),
     newest AS (
       SELECT e.tx_id, e.seq FROM change_event e, h WHERE e.tx_id < h.horizon
       ORDER BY e.tx_id DESC, e.seq DESC LIMIT 1),
     moved AS (
       UPDATE event_subscription s SET last_tx_id = n.tx_id, last_seq = n.seq, leased_by = NULL
       FROM idle i, newest n
       WHERE s.subscriber = i.subscriber AND (s.last_tx_id, s.last_seq) >= (i.last_tx_id, i.last_seq)
         AND (s.last_tx_id, s.last_seq) < (n.tx_id, n.seq) AND (s.leased_until IS NULL OR s.leased_until < now()))
     SELECT subscriber FROM idle`,
    [subscribers.map((each) => each.subscriber), subscribers.map((each) => each.types?.join(',') ?? null)],
  );
  return result.rows.map((row) => row.subscriber);
}

export async function advanceCursor(db: SqlExecutor, subscriber: string, last: ChangeEvent): Promise<void> {
  await db.query('UPDATE event_subscription SET last_tx_id = $2::xid8, last_seq = $3 WHERE subscriber = $1', [
    subscriber,
    last.txId,
    last.seq,
  ]);
}

/**
 * Moves the cursor past `last` on the way through a long delivery run and renews the lease, only
 * while `holder` still has it. False: the lease ran out and another run took it — the caller
 * stops (a stale run must neither go on sending beside the new holder nor move its cursor back).
 */
export async function moveCursorAndRenew(
  db: SqlExecutor,
  subscriber: string,
  move: SubscriptionLease & { last: ChangeEvent },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE event_subscription SET last_tx_id = $3::xid8, last_seq = $4,
       leased_until = now() + make_interval(secs => $5)
     WHERE subscriber = $1 AND leased_by = $2 RETURNING 1`,
    [subscriber, move.holder, move.last.txId, move.last.seq, move.seconds],
  );
  return result.rows.length > 0;
}

export async function releaseSubscription(
  db: SqlExecutor,
  subscriber: string,
  holder: string,
): Promise<void> {
  await db.query(
    'UPDATE event_subscription SET leased_until = NULL WHERE subscriber = $1 AND leased_by = $2',
    [subscriber, holder],
  );
}

/**
 * Whether committed-or-not events exist after the cursor, ignoring the snapshot horizon: when
 * true but nothing was readable, an older transaction is still running and the events will
 * become readable when it ends.
 */
export async function hasEventsAfterCursor(db: SqlExecutor, subscriber: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM event_subscription s CROSS JOIN LATERAL (
       SELECT 1 FROM change_event e WHERE (e.tx_id, e.seq) > (s.last_tx_id, s.last_seq) LIMIT 1) e
     WHERE s.subscriber = $1`,
    [subscriber],
  );
  return result.rows.length > 0;
}

/**
 * Creates a subscriber's cursor at the newest event, when it has none: a consumer added to a
 * running platform (an HL7 v2 destination just configured) reports what comes after, not the
 * whole history. An existing cursor is left where it is.
 */
export async function startSubscriptionAtEnd(db: SqlExecutor, subscriber: string): Promise<void> {
  await db.query(
    `INSERT INTO event_subscription (subscriber, last_tx_id, last_seq)
     SELECT $1, COALESCE(e.tx_id, '0'::xid8), COALESCE(e.seq, 0) FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (SELECT tx_id, seq FROM change_event ORDER BY tx_id DESC, seq DESC LIMIT 1) e ON true
     ON CONFLICT (subscriber) DO NOTHING`,
    [subscriber],
  );
}
