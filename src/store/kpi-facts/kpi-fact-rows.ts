import type { SqlDatabase } from '../sql/database.ts';
import type { ResourceRef } from '../write/expunge-history.ts';
import { affectedFactsSql, applyContributionSql, linkKinds } from './kpi-sums-sql.ts';

/**
 * One stored fact of a resource (table `kpi_fact`, migration 028): a KPI's member, or a link
 * other facts join on. The analytics module decides what they mean; the store keeps them.
 */
export interface KpiFactRow {
  kind: string;
  /** ISO instant that places it in a week or month; absent: a snapshot of today. */
  at?: string;
  patient?: string;
  numerator: boolean;
  group?: string;
  days?: number;
  /** Epoch ms a snapshot's age is counted from (an open review's `authoredOn`). */
  sinceMs?: number;
  location?: string;
  practitioner?: string;
  channel?: string;
  /** The resource (id) this fact points at: the attempt a reply answers, a consent's patient. */
  link?: string;
  /** Exclusive ISO instant a period fact ends at (a journey stage's period); absent: still open. */
  until?: string;
  /** Numbers the facts of one kind a resource keeps several of (an episode's stage periods); 0 otherwise. */
  seq?: number;
}

/** A resource's facts: everything it stood for before is replaced (none: it is gone or counts for nothing). */
export interface KpiFactsOf {
  source: ResourceRef;
  facts: KpiFactRow[];
}

/**
 * Replaces the facts of each given resource in one transaction, and keeps the per-bucket sums
 * (`kpi_sum`) in step: the contribution of every fact the replacement may change is taken away
 * before and added after. A replayed event rebuilds the same rows and sums, so catching up twice
 * changes nothing; the facts are read back for drill-downs. One replacement at a time (a
 * transaction lock): the sums are read-modify-write over facts that join one another.
 */
export async function replaceKpiFacts(db: SqlDatabase, resources: KpiFactsOf[]): Promise<void> {
  if (resources.length === 0) return;
  const types = resources.map((each) => each.source.resourceType);
  const ids = resources.map((each) => each.source.id);
  const rows = JSON.stringify(
    resources.flatMap(({ source, facts }) =>
      facts.map((fact) => ({ source_type: source.resourceType, source_id: source.id, ...columnsOf(fact) })),
    ),
  );
  await db.transaction(async (tx) => {
    // Keyed by schema: the facts and sums that must change one at a time are this schema's
    // tables, so deployments (or test runs) in other schemas of one database do not wait.
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [kpiFactsLock]);
    const affected = await tx.query<AffectedFact>(affectedFactsSql, [types, ids, rows]);
    const keys = ['source_type', 'source_id', 'kind'].map((column) =>
      affected.rows.map((row) => row[column as keyof AffectedFact]),
    );
    await tx.query(applyContributionSql, [-1, linkKinds, ...keys]);
    await tx.query(
      `DELETE FROM kpi_fact f USING unnest($1::text[], $2::text[]) AS t(source_type, source_id)
       WHERE f.source_type = t.source_type AND f.source_id = t.source_id`,
      [types, ids],
    );
    await tx.query(
      `INSERT INTO kpi_fact (source_type, source_id, kind, at, patient, numerator, grp, days, since_ms,
         location, practitioner, channel, link, until, seq)
       SELECT source_type, source_id, kind, at, patient, numerator, grp, days, since_ms, location, practitioner,
         channel, link, until, seq
       FROM jsonb_to_recordset($1::jsonb) AS r(source_type text, source_id text, kind text, at timestamptz,
         patient text, numerator boolean, grp text, days float8, since_ms bigint, location text,
         practitioner text, channel text, link text, until timestamptz, seq integer)
       ON CONFLICT (source_type, source_id, kind, seq) DO NOTHING`,
      [rows],
    );
    await tx.query(applyContributionSql, [1, linkKinds, ...keys]);
  });
}

/** A fact whose contribution a replacement may change (`affectedFactsSql`). */
interface AffectedFact {
  source_type: string;
  source_id: string;
  kind: string;
}

/**
 * The advisory lock class that makes replacements of KPI facts one at a time (the two-key
 * form: a lock space apart from the store's one-key locks).
 */
const kpiFactsLock = 2_021_028;

function columnsOf(fact: KpiFactRow) {
  return {
    kind: fact.kind,
    at: fact.at ?? null,
    patient: fact.patient ?? null,
    numerator: fact.numerator,
    grp: fact.group ?? null,
    days: fact.days ?? null,
    since_ms: fact.sinceMs ?? null,
    location: fact.location ?? null,
    practitioner: fact.practitioner ?? null,
    channel: fact.channel ?? null,
    link: fact.link ?? null,
    until: fact.until ?? null,
    seq: fact.seq ?? 0,
  };
}
