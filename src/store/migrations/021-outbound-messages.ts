/**
 * The outbound half of the message store (issue 17): every HL7 v2 message the platform sends,
 * next to the inbound ones — exact bytes, destination, status, the ACK that came back. One row
 * per (destination, key): the key names the write and the event, so a replayed event finds its
 * message already there and sends nothing twice.
 */
export const sql = `
CREATE TABLE outbound_message (
  id bigserial PRIMARY KEY,
  protocol text NOT NULL DEFAULT 'hl7v2',
  destination text NOT NULL,
  message_key text NOT NULL,
  control_id text NOT NULL,
  message_type text NOT NULL,
  trigger_event text NOT NULL,
  resource text,
  raw bytea NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  ack bytea,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE UNIQUE INDEX outbound_message_key_idx ON outbound_message (destination, message_key);
CREATE INDEX outbound_message_status_idx ON outbound_message (status, created_at DESC);
`;
