/**
 * Analytics: per-bucket sums beside the KPI facts (issue 21), so a KPI answer reads a few rows
 * per KPI and bucket however large the clinic. One row per KPI, period (`month`, `week`, or
 * `today` for snapshot facts, bucket ''), bucket key, and the values filters and breakdowns
 * select on ('' for none); median KPIs also by `bin` (the whole days of the measured value), so a
 * median reads the exact values of one bin only. Kept in the transaction that replaces a
 * resource's facts (`src/store/kpi-facts/kpi-sums-sql.ts`). Facts kept before this table have
 * no sums: they are dropped and the subscriber replays the outbox from its start (the backfill).
 */
export const sql = `
CREATE TABLE kpi_sum (
  kpi text NOT NULL,
  period text NOT NULL,
  bucket text NOT NULL,
  grp text NOT NULL,
  location text NOT NULL,
  practitioner text NOT NULL,
  channel text NOT NULL,
  bin integer NOT NULL,
  members bigint NOT NULL,
  in_numerator bigint NOT NULL,
  PRIMARY KEY (kpi, period, bucket, grp, location, practitioner, channel, bin)
);
CREATE INDEX kpi_fact_bin_idx ON kpi_fact (kind, floor(days), at) WHERE days IS NOT NULL;
CREATE INDEX kpi_fact_since_idx ON kpi_fact (kind, since_ms) WHERE since_ms IS NOT NULL;
DELETE FROM kpi_fact;
DELETE FROM event_subscription WHERE subscriber = 'analytics-kpi-facts';
`;
