/**
 * Core tables of the FHIR store: the current version of every resource, every version ever
 * written, and the change-event outbox written in the same transaction (DESIGN rule 2).
 * `compartment` is the id of the Patient whose compartment holds the row (DESIGN rule 5).
 * Content is kept as text: the store writes and returns it verbatim, and search uses index tables.
 */
export const sql = `
CREATE TABLE resource (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id bigint NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  compartment text,
  content text NOT NULL,
  PRIMARY KEY (resource_type, id)
);
CREATE INDEX resource_compartment_idx ON resource (compartment, resource_type) WHERE compartment IS NOT NULL;
CREATE INDEX resource_type_updated_idx ON resource (resource_type, last_updated, id);

CREATE TABLE resource_history (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id bigint NOT NULL,
  last_updated timestamptz NOT NULL,
  method text NOT NULL,
  compartment text,
  content text,
  PRIMARY KEY (resource_type, id, version_id)
);
CREATE INDEX resource_history_type_time_idx ON resource_history (resource_type, last_updated);
CREATE INDEX resource_history_time_idx ON resource_history (last_updated);

CREATE TABLE change_event (
  seq bigserial PRIMARY KEY,
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id bigint NOT NULL,
  action text NOT NULL,
  compartment text,
  occurred_at timestamptz NOT NULL,
  -- The writing transaction's id: consumers read events in (tx_id, seq) order and only from
  -- transactions older than every running one, so an event that commits late is never skipped.
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX change_event_tx_idx ON change_event (tx_id, seq);
`;
