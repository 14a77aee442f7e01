/**
 * The inbound message store (HL7 v2 today): exact bytes, parsed header, processing status,
 * the ACK sent, and the resources each message produced. Idempotency key is
 * (MSH-3, MSH-4, MSH-10); a resend with the same key and different content is kept as a
 * rejected row pointing at the original (`duplicate_of`), never silently merged.
 */
export const sql = `
CREATE TABLE inbound_message (
  id bigserial PRIMARY KEY,
  protocol text NOT NULL DEFAULT 'hl7v2',
  sending_application text,
  sending_facility text,
  control_id text,
  message_type text,
  trigger_event text,
  version text,
  raw bytea NOT NULL,
  content_hash text NOT NULL,
  status text NOT NULL,
  error text,
  ack bytea,
  resources jsonb NOT NULL DEFAULT '[]',
  duplicate_of bigint REFERENCES inbound_message (id),
  transport text,
  remote_address text,
  attempts integer NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE UNIQUE INDEX inbound_message_key_idx ON inbound_message (sending_application, sending_facility, control_id)
  WHERE control_id IS NOT NULL AND duplicate_of IS NULL;
CREATE INDEX inbound_message_status_idx ON inbound_message (status, received_at DESC);
CREATE INDEX inbound_message_type_idx ON inbound_message (message_type, trigger_event, received_at DESC);
`;
