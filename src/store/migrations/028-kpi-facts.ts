/**
 * Analytics: the small facts each KPI needs, one row per (resource, kind), kept by analytics'
 * change-event subscriber (issue 21). A KPI request sums and groups these rows instead of reading
 * every resource. `kind` is a KPI id, or a link the KPIs join on (`reply`, `sent-on`,
 * `active-consent`, `waitlist-fill`, `appointment-start`). `at` NULL: a snapshot of today.
 */
export const sql = `
CREATE TABLE kpi_fact (
  source_type text NOT NULL,
  source_id text NOT NULL,
  kind text NOT NULL,
  at timestamptz,
  patient text,
  numerator boolean NOT NULL DEFAULT false,
  grp text,
  days float8,
  since_ms bigint,
  location text,
  practitioner text,
  channel text,
  link text,
  PRIMARY KEY (source_type, source_id, kind)
);
CREATE INDEX kpi_fact_at_idx ON kpi_fact (kind, at);
CREATE INDEX kpi_fact_link_idx ON kpi_fact (kind, link) WHERE link IS NOT NULL;
`;
