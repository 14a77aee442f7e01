/**
 * The durable job queue and the change-event subscriptions, on the same database as the data
 * (DESIGN: "job queue on the same database"). Written by hand because the PostgreSQL-backed
 * queue libraries (pg-boss, graphile-worker) need a `pg` connection and cannot run on
 * embedded PGlite; this schema is the small subset we need and works on both.
 */
export const sql = `
CREATE TABLE job (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'ready',
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX job_ready_idx ON job (queue, run_at, id) WHERE status = 'ready';
CREATE INDEX job_dead_idx ON job (queue, finished_at) WHERE status = 'dead';

CREATE TABLE event_subscription (
  subscriber text PRIMARY KEY,
  last_tx_id xid8 NOT NULL DEFAULT '0',
  last_seq bigint NOT NULL DEFAULT 0,
  leased_until timestamptz,
  leased_by text
);
`;
