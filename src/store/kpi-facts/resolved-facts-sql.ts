import { inStageSql, stageGroupedKinds, stageGroupSql } from './journey-stage-sql.ts';

/**
 * What a KPI request selects: which KPIs, the instants of its window, "now" (snapshot facts
 * are dated today), how facts are bucketed, and the filters.
 */
export interface KpiFactQuery {
  kpis: string[];
  /** Inclusive ISO instant. */
  start: string;
  /** Exclusive ISO instant. */
  end: string;
  now: string;
  /** The KPIs whose figure is a median of `days` (the others need only counts). */
  medians: string[];
  /** `all`: one bucket for the whole window (`$evaluate-measure`). */
  period: 'month' | 'week' | 'all';
  location?: string;
  practitioner?: string;
  channel?: string;
  /** A journey (id): only facts whose person was in it at their instant; with `stage`, in that stage. */
  journey?: string;
  stage?: string;
  /** A cohort: only the facts of these records (patient ids). */
  patients?: string[];
}

/** The query's parameters, in the order `resolvedFactsSql` numbers them ($1–$12). */
export const resolvedFactsParams = (query: KpiFactQuery): unknown[] => [
  query.kpis,
  query.start,
  query.end,
  query.now,
  Date.parse(query.now),
  query.period,
  query.location ?? null,
  query.practitioner ?? null,
  query.channel ?? null,
  query.journey ?? null,
  query.stage ?? null,
  query.patients ?? null,
];

/**
 * The facts of \`f\` (columns of \`kpi_fact\`) resolved: the joins that decide some numerators (see
 * \`resolvedFactsSql\`), with \`fills\` (at, filled) the waitlist fills per booking instant.
 * \`ageDays\` is the SQL of an open review's age (it needs "now"; the kept sums do not count it).
 */
export const resolvedCteSql = (ageDays: string) => `
resolved AS (
  SELECT f.kind AS kpi, f.at, f.patient, f.location, f.practitioner,
    CASE f.kind
      WHEN 'outreach-response-rate' THEN EXISTS (SELECT 1 FROM kpi_fact r WHERE r.kind = 'reply' AND r.link = f.source_id)
      WHEN 'reminder-confirmation-rate' THEN COALESCE((SELECT r.grp = 'confirm' FROM kpi_fact r
        WHERE r.kind = 'reply' AND r.link = f.source_id ORDER BY r.source_id DESC LIMIT 1), false)
      WHEN 'clean-consent' THEN EXISTS (SELECT 1 FROM kpi_fact c WHERE c.kind = 'active-consent' AND c.link = f.patient)
      ELSE f.numerator END AS numerator,
    CASE WHEN f.kind = 'duplicate-review-age-days' THEN ${ageDays} ELSE f.days END AS days,
    o.channel AS answered_on,
    CASE WHEN f.kind IN (${stageGroupedKinds.map((kind) => `'${kind}'`).join(', ')})
      THEN ${stageGroupSql('f.patient', 'f.at')} ELSE f.grp END AS grp, f.channel
  FROM f LEFT JOIN LATERAL (
    SELECT COALESCE((SELECT s.channel FROM kpi_fact s
      WHERE s.kind = 'sent-on' AND s.source_type = 'Communication' AND s.source_id = f.link), 'other') AS channel
    WHERE f.kind = 'opt-outs') o ON true
  WHERE f.kind <> 'waitlist-fill-rate'
  UNION ALL
  SELECT f.kind, f.at, f.patient, f.location, f.practitioner,
    row_number() OVER (PARTITION BY f.at ORDER BY f.source_id) <= COALESCE(fills.filled, 0),
    f.days, NULL, f.grp, f.channel
  FROM f LEFT JOIN fills ON fills.at = f.at WHERE f.kind = 'waitlist-fill-rate'
)`;

/**
 * The facts of a window, with the joins that make some of them resolved in SQL (the analytics
 * README defines each KPI):
 * - a delivered attempt is responded to when a `reply` links to it; confirmed when the last
 *   reply (by id) confirms;
 * - an opt-out counts under the channel (`sent-on`) of the message it answered, else `other`;
 * - an active patient record has a consent on file when an `active-consent` links to it;
 * - a cancelled booking is filled when a `waitlist-fill`'s booking starts at its instant: the
 *   first cancellations there (by id), as many as there were fills;
 * - an open review's age is counted to now;
 * - a fact is in a journey (and stage) when its person's stage period holds its instant (a
 *   snapshot: the open period), and in a cohort when its record is one of the cohort's.
 * Then bucketed (UTC month or Monday's week) and filtered. Columns: kpi, bucket, patient,
 * numerator, grp, days.
 */
export const resolvedFactsSql = `
WITH f AS (
  SELECT source_id, kind, COALESCE(at, $4::timestamptz) AS at, patient, numerator, grp, days, since_ms,
    location, practitioner, channel, link
  FROM kpi_fact k
  WHERE kind = ANY($1::text[])
    AND ((at >= $2::timestamptz AND at < $3::timestamptz)
      OR (at IS NULL AND $4::timestamptz >= $2::timestamptz AND $4::timestamptz < $3::timestamptz))
    AND ($12::text[] IS NULL OR patient = ANY($12::text[]))
    AND ${inStageSql('k.patient', 'k.at', { journey: '$10', stage: '$11' })}
),
fills AS MATERIALIZED (
  -- Computed once, from the (few) filled waitlist entries to their bookings by primary key.
  SELECT b.at, count(*) AS filled FROM kpi_fact w
  JOIN kpi_fact b ON b.source_type = 'Appointment' AND b.source_id = w.link AND b.kind = 'appointment-start'
  WHERE w.kind = 'waitlist-fill' AND b.at >= $2::timestamptz AND b.at < $3::timestamptz GROUP BY b.at
),
${resolvedCteSql('($5::bigint - f.since_ms)::float8 / 86400000')},
bucketed AS (
  SELECT kpi, patient, numerator, days, COALESCE(answered_on, grp) AS grp,
    CASE $6::text
      WHEN 'month' THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')
      WHEN 'week' THEN to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
      ELSE 'all' END AS bucket
  FROM resolved
  WHERE ($7::text IS NULL OR location = $7) AND ($8::text IS NULL OR practitioner = $8)
    AND ($9::text IS NULL OR COALESCE(answered_on, channel) = $9)
)`;
