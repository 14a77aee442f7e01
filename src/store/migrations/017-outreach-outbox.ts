/**
 * The local outbox: what outreach would have sent when no provider is configured (development,
 * the demo clinic). One row per idempotency key, so a repeated send is the same message.
 */
export const sql = `
CREATE TABLE outreach_outbox (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  channel text NOT NULL,
  recipient text NOT NULL,
  subject text,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outreach_outbox_created_idx ON outreach_outbox (created_at DESC, id DESC);
`;
