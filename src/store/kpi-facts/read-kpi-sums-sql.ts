import { inStageSql, stageMatchesSql } from './journey-stage-sql.ts';
import { binsPerDay, everyValue } from './kpi-sums-sql.ts';

/**
 * The sums of a KPI answer ($1 KPIs, $2 period, $3 today's bucket key or null, $4 the window's
 * bucket keys, $5–$7 location, practitioner, channel, $8–$9 journey and stage): per KPI, bucket
 * and median bin, overall (`whole` = 1) and per group. Snapshot sums (period `today`) count in
 * today's bucket. Without a filter only the roll-up rows are read (one per KPI, bucket, group and
 * bin, however many locations, practitioners and channels the clinic has); with one, the rows of
 * its values; with a journey, the rows of its stages (the stage given, or each of them).
 */
export const sumsSql = `
SELECT kpi, bucket, grp, GROUPING(grp) AS whole, bool_or(snapshot) AS snapshot, bin,
  sum(members) AS members, sum(in_numerator) AS in_numerator
FROM (
  SELECT kpi, CASE WHEN period = 'today' THEN $3::text ELSE bucket END AS bucket, period = 'today' AS snapshot,
    grp, bin, members, in_numerator
  FROM kpi_sum
  WHERE kpi = ANY($1::text[])
    AND ((period = $2::text AND bucket = ANY($4::text[])) OR (period = 'today' AND $3::text IS NOT NULL))
    AND CASE WHEN $5::text IS NULL AND $6::text IS NULL AND $7::text IS NULL
      THEN location = '${everyValue}' AND practitioner = '${everyValue}' AND channel = '${everyValue}'
      ELSE location <> '${everyValue}' AND ($5::text IS NULL OR location = $5)
        AND ($6::text IS NULL OR practitioner = $6) AND ($7::text IS NULL OR channel = $7) END
    AND CASE WHEN $8::text IS NULL THEN stage = '' ELSE ${stageMatchesSql('stage', '$8', '$9')} END
) AS s
GROUP BY GROUPING SETS ((kpi, bucket, bin), (kpi, bucket, grp, bin))
HAVING sum(members) <> 0`;

/**
 * The values at given positions of median figures ($1 the lookups, $2–$4 the filters, $5 now in
 * epoch ms, $6–$7 journey and stage): a dated figure's `days` in one bin of one bucket, read by the bin index in order;
 * a snapshot's ages to now (an open review's), youngest first.
 */
export const middleLookupSql = `
SELECT l.i, x.days FROM jsonb_to_recordset($1::jsonb) AS l(i integer, kind text, snapshot boolean,
  start timestamptz, "end" timestamptz, bin float8, grp text, skip integer, take integer)
CROSS JOIN LATERAL (
  (SELECT k.days FROM kpi_fact k
   WHERE NOT l.snapshot AND k.kind = l.kind AND k.days IS NOT NULL AND floor(k.days * ${binsPerDay}) = l.bin
     AND k.at >= l.start AND k.at < l."end" AND (l.grp IS NULL OR k.grp = l.grp)
     AND ($2::text IS NULL OR k.location = $2) AND ($3::text IS NULL OR k.practitioner = $3)
     AND ($4::text IS NULL OR k.channel = $4) AND ${inStageSql('k.patient', 'k.at', { journey: '$6', stage: '$7' })}
   ORDER BY k.days OFFSET l.skip LIMIT l.take)
  UNION ALL
  (SELECT ($5::bigint - k.since_ms)::float8 / 86400000 FROM kpi_fact k
   WHERE l.snapshot AND k.kind = l.kind AND k.at IS NULL AND k.since_ms IS NOT NULL
     AND (l.grp IS NULL OR k.grp = l.grp) AND ($2::text IS NULL OR k.location = $2)
     AND ($3::text IS NULL OR k.practitioner = $3) AND ($4::text IS NULL OR k.channel = $4)
     AND ${inStageSql('k.patient', 'NULL::timestamptz', { journey: '$6', stage: '$7' })}
   ORDER BY k.since_ms DESC OFFSET l.skip LIMIT l.take)
) AS x(days)
ORDER BY l.i, x.days`;
