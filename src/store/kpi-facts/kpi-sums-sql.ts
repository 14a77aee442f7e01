import { goldenKind, stageAffectedSql, stageKind, stagePeriodsSql } from './journey-stage-sql.ts';
import { resolvedCteSql } from './resolved-facts-sql.ts';

/**
 * Median bins per day: a median fact counts in the sums under \`floor(days × binsPerDay)\`, and a
 * median reads the exact values of the one or two bins its middle falls in (index
 * \`kpi_fact_bin_idx\`, migration 031, on the same expression). Quarter days: at 100,000 people a
 * month's bin holds ~40 booking facts (a whole day held ~300), and a month has at most a few
 * hundred bins with members.
 */
export const binsPerDay = 4;

/** The filter value of a roll-up sum row: every location, practitioner and channel at once. */
export const everyValue = '*';

/** Facts that are links other facts join on, not members of a KPI: they have no sums of their own. */
export const linkKinds = [
  'reply',
  'sent-on',
  'active-consent',
  'waitlist-fill',
  'appointment-start',
  // Chronic-care adherence is computed from these by the analytics module (`readKpiFactRows`).
  'chronic-prescription',
  'medication-dispense',
  // A journey's stage periods and a record's golden record: joined for the stage dimension.
  stageKind,
  goldenKind,
  'adherence-exclusion',
  // The day the kept adherence runs are measured to (the open buckets' "today").
  'adherence-as-of',
];

/**
 * Facts that stand for a run of consecutive buckets of one period (\`link\` \`month\` or \`week\`):
 * from the bucket starting at \`at\` to the one ending at \`until\` (exclusive), counted once in
 * each of them and only in that period's sums. Chronic-care adherence keeps one per patient–drug
 * pair and stretch of buckets alike (same numerator and prescriber): a pair's PDC is measured per
 * bucket, and most pairs stay the same for months.
 */
export const runKinds = ['chronic-adherence'];

const runKindsSql = `ARRAY[${runKinds.map((kind) => `'${kind}'`).join(', ')}]`;

/**
 * The facts whose contribution may change when the given resources' facts ($1 types, $2 ids:
 * the rows kept now; $3 the rows that replace them) are replaced — their own, and those joined to
 * them (`resolvedFactsSql`): the attempt a reply answers, the patient record an active consent
 * names, the opt-outs answering a message whose channel is kept, and every cancelled booking at
 * an instant where a booking, a cancellation or a waitlist fill's booking starts (they are
 * ranked against the fills there). Lookups read the kept rows and the new ones, so the set is
 * the same before and after the replacement. Read into Node and handed to both
 * `applyContributionSql` statements as arrays: a temporary table per replacement cost a catalog
 * write (and its own statement) on every batch of the analytics reaction.
 */
export const affectedFactsSql = `
WITH changed AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(source_type, source_id)),
incoming AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb)
    AS r(source_type text, source_id text, kind text, at timestamptz, link text, patient text)
),
c AS (
  SELECT k.source_type, k.source_id, k.kind, k.at, k.link, k.patient FROM kpi_fact k JOIN changed USING (source_type, source_id)
  UNION ALL SELECT source_type, source_id, kind, at, link, patient FROM incoming
),
booking_start AS (
  SELECT source_id, at FROM kpi_fact WHERE kind = 'appointment-start' AND source_type = 'Appointment'
    AND source_id IN (SELECT link FROM c WHERE kind = 'waitlist-fill')
  UNION ALL SELECT source_id, at FROM incoming WHERE kind = 'appointment-start' AND source_type = 'Appointment'
),
instants AS (
  SELECT at FROM c WHERE kind IN ('waitlist-fill-rate', 'appointment-start') AND at IS NOT NULL
  UNION SELECT b.at FROM c JOIN booking_start b ON b.source_id = c.link WHERE c.kind = 'waitlist-fill'
)
SELECT source_type, source_id, kind FROM c
UNION SELECT 'Communication', c.link, answered.kind FROM c
  CROSS JOIN (VALUES ('outreach-response-rate'), ('reminder-confirmation-rate')) AS answered(kind)
  WHERE c.kind = 'reply'
UNION SELECT 'Patient', link, 'clean-consent' FROM c WHERE kind = 'active-consent'
UNION SELECT o.source_type, o.source_id, o.kind FROM c
  JOIN kpi_fact o ON o.kind = 'opt-outs' AND o.link = c.source_id WHERE c.kind = 'sent-on'
UNION SELECT o.source_type, o.source_id, o.kind FROM kpi_fact o
  WHERE o.kind = 'waitlist-fill-rate' AND o.at IN (SELECT at FROM instants)${stageAffectedSql(linkKinds)}`;

/**
 * Adds ($1 = 1) or takes away ($1 = -1) the resolved contribution of the affected facts ($3
 * types, $4 ids, $5 kinds: what `affectedFactsSql` returned) to the
 * sums: per KPI, period (month and week; `today` for a snapshot), bucket, group, filter values
 * and median bin — each fact twice: under its own location, practitioner and channel, and in
 * the roll-up row of every value (\`*\` in all three), which the unfiltered dashboard reads; and
 * those two again per journey stage its person was in at its instant (`stage` `journey/stage`,
 * one per journey; '' in the rows not per stage), which a journey filter reads. Taken
 * away before a replacement and added after it, the sums follow the facts; a replayed event
 * takes away and adds the same.
 */
export const applyContributionSql = `
WITH f AS (
  SELECT k.source_id, k.kind, k.at, k.patient, k.numerator, k.grp, k.days, k.since_ms,
    k.location, k.practitioner, k.channel, k.link
  FROM kpi_fact k JOIN unnest($3::text[], $4::text[], $5::text[]) AS a(source_type, source_id, kind)
    USING (source_type, source_id, kind)
  WHERE k.kind <> ALL($2::text[]) AND k.kind <> ALL(${runKindsSql})
),
fills AS (
  SELECT b.at, count(*) AS filled FROM kpi_fact w
  JOIN kpi_fact b ON b.source_type = 'Appointment' AND b.source_id = w.link AND b.kind = 'appointment-start'
  WHERE w.kind = 'waitlist-fill' AND b.at IN (SELECT at FROM f WHERE kind = 'waitlist-fill-rate') GROUP BY b.at
),
${resolvedCteSql('NULL::float8')},
staged AS (
  SELECT r.*, '' AS stage, NULL::text AS run_period FROM resolved r
  UNION ALL
  SELECT r.*, s.grp, NULL FROM resolved r CROSS JOIN LATERAL (SELECT s.grp FROM ${stagePeriodsSql('r.patient', 'r.at')}) s
  UNION ALL
  SELECT k.kind, b.at, k.patient, k.location, k.practitioner, k.numerator, k.days, NULL, k.grp, k.channel, '', k.link
  FROM kpi_fact k JOIN unnest($3::text[], $4::text[], $5::text[]) AS a(source_type, source_id, kind)
    USING (source_type, source_id, kind)
  CROSS JOIN LATERAL (SELECT generate_series(k.at AT TIME ZONE 'UTC', (k.until AT TIME ZONE 'UTC') - interval '1 day',
    CASE k.link WHEN 'week' THEN interval '1 week' ELSE interval '1 month' END) AT TIME ZONE 'UTC') AS b(at)
  WHERE k.kind = ANY(${runKindsSql})
),
summed AS (
  SELECT kpi, p.period,
    CASE p.period
      WHEN 'month' THEN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')
      WHEN 'week' THEN to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
      ELSE '' END AS bucket,
    COALESCE(answered_on, grp, '') AS grp,
    CASE WHEN rollup THEN '${everyValue}' ELSE COALESCE(location, '') END AS location,
    CASE WHEN rollup THEN '${everyValue}' ELSE COALESCE(practitioner, '') END AS practitioner,
    CASE WHEN rollup THEN '${everyValue}' ELSE COALESCE(answered_on, channel, '') END AS channel,
    stage, COALESCE(floor(days * ${binsPerDay})::integer, 0) AS bin,
    count(*) AS members, count(*) FILTER (WHERE numerator) AS in_numerator
  FROM staged JOIN (VALUES ('month'), ('week'), ('today')) AS p(period)
    ON CASE WHEN run_period IS NULL THEN (p.period = 'today') = (at IS NULL) ELSE p.period = run_period END
    CROSS JOIN (VALUES (false), (true)) AS r(rollup)
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
)
INSERT INTO kpi_sum (kpi, period, bucket, grp, location, practitioner, channel, stage, bin, members, in_numerator)
SELECT kpi, period, bucket, grp, location, practitioner, channel, stage, bin, $1::bigint * members,
  $1::bigint * in_numerator FROM summed
ON CONFLICT (kpi, period, bucket, grp, location, practitioner, channel, stage, bin) DO UPDATE
  SET members = kpi_sum.members + excluded.members, in_numerator = kpi_sum.in_numerator + excluded.in_numerator`;
