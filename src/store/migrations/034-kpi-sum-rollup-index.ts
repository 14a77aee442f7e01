/**
 * Analytics: the unfiltered KPI answer reads only the roll-up sum rows (location, practitioner and
 * channel `*`, no journey stage), but by the primary key it walked every location, practitioner,
 * channel and stage row of each KPI and bucket to find them (issue 21). This partial index holds
 * the roll-up rows only, keyed by period and bucket: the answer asks for a dozen buckets, one
 * descent each. Not by KPI: `kpi = ANY(27)` × `bucket = ANY(13)` in the key would be 351 descents
 * (the primary key's ~700 index pages at 10,000 people). It holds no sum, so adding to a sum
 * changes no column of it and stays a HOT update.
 */
export const sql = `
CREATE INDEX kpi_sum_rollup_idx ON kpi_sum (period, bucket)
  WHERE location = '*' AND practitioner = '*' AND channel = '*' AND stage = '';
`;
