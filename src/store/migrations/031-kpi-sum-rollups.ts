/**
 * Analytics: KPI sums whose unfiltered answer reads the same rows however large the clinic
 * (issue 21). Each fact also counts in a roll-up row (location, practitioner and channel `*`),
 * and a median's bins are quarter days (`floor(days * 4)`, the index the middle values are read
 * by), not whole days. The sums are rebuilt as in 030: the facts are dropped and the subscriber
 * replays the outbox from its start.
 */
export const sql = `
DELETE FROM kpi_sum;
DELETE FROM kpi_fact;
DELETE FROM event_subscription WHERE subscriber = 'analytics-kpi-facts';
DROP INDEX kpi_fact_bin_idx;
CREATE INDEX kpi_fact_bin_idx ON kpi_fact (kind, floor(days * 4), at) WHERE days IS NOT NULL;
`;
