/**
 * Search index tables, owned by src/store/search (see its README). One table per kind of
 * value, one row per indexed value, keyed by (resource_type, id, code) where `code` is the
 * SearchParameter code. Every table has a "lookup" index led by (resource_type, code, value)
 * for filters and a "resource" index on (resource_type, id, code) for replacing rows, sorting
 * and _include. Rows exist only for live resources: deletes remove them. `Reference.identifier`
 * is kept beside the reference (`subject:identifier=…`), with a partial index: most rows have none.
 */
export const sql = `
CREATE TABLE search_token (
  resource_type text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  system text,
  value text,
  display text
);
CREATE INDEX search_token_lookup_idx ON search_token (resource_type, code, value, system);
CREATE INDEX search_token_resource_idx ON search_token (resource_type, id, code);

CREATE TABLE search_string (
  resource_type text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  value text NOT NULL,
  exact text NOT NULL
);
CREATE INDEX search_string_lookup_idx ON search_string (resource_type, code, value text_pattern_ops);
CREATE INDEX search_string_resource_idx ON search_string (resource_type, id, code);

CREATE TABLE search_date (
  resource_type text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  low timestamptz NOT NULL,
  high timestamptz NOT NULL
);
CREATE INDEX search_date_lookup_idx ON search_date (resource_type, code, low, high);
CREATE INDEX search_date_resource_idx ON search_date (resource_type, id, code);

CREATE TABLE search_number (
  resource_type text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  low numeric,
  high numeric,
  system text,
  unit_code text,
  unit text
);
CREATE INDEX search_number_lookup_idx ON search_number (resource_type, code, low);
CREATE INDEX search_number_resource_idx ON search_number (resource_type, id, code);

CREATE TABLE search_reference (
  resource_type text NOT NULL,
  id text NOT NULL,
  code text NOT NULL,
  target_type text,
  target_id text,
  reference text,
  identifier_system text,
  identifier_value text
);
CREATE INDEX search_reference_target_idx ON search_reference (target_type, target_id, resource_type, code);
CREATE INDEX search_reference_identifier_idx ON search_reference (resource_type, code, identifier_value)
  WHERE identifier_value IS NOT NULL;
CREATE INDEX search_reference_resource_idx ON search_reference (resource_type, id, code);
`;
