/**
 * Analytics: journey stage as a KPI dimension (issue 21). A journey's stage periods are kept as
 * facts (`journey-stage`, one row per period of an EpisodeOfCare: `seq` numbers them, `until`
 * ends them), and a record linked to a golden record keeps the link (`golden-record`), so a
 * fact's stage at its instant is joined by the person's id (index on `patient`). The sums get a
 * `stage` column (`journey/stage`; '' in the rows that are not per stage). Rebuilt as in 030: the
 * facts are dropped and the subscriber replays the outbox from its start.
 */
export const sql = `
DELETE FROM kpi_sum;
DELETE FROM kpi_fact;
DELETE FROM event_subscription WHERE subscriber = 'analytics-kpi-facts';
ALTER TABLE kpi_fact ADD COLUMN until timestamptz, ADD COLUMN seq integer NOT NULL DEFAULT 0;
ALTER TABLE kpi_fact DROP CONSTRAINT kpi_fact_pkey;
ALTER TABLE kpi_fact ADD PRIMARY KEY (source_type, source_id, kind, seq);
CREATE INDEX kpi_fact_patient_idx ON kpi_fact (patient, kind) WHERE patient IS NOT NULL;
ALTER TABLE kpi_sum ADD COLUMN stage text NOT NULL DEFAULT '';
ALTER TABLE kpi_sum DROP CONSTRAINT kpi_sum_pkey;
ALTER TABLE kpi_sum ADD PRIMARY KEY (kpi, period, bucket, grp, location, practitioner, channel, stage, bin);
`;
