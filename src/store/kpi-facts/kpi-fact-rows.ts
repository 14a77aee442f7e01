import type { SqlDatabase, SqlExecutor } from '../sql/database.ts';
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
 * Facts made from other kept facts of the same patients (chronic-care adherence: a patient's
 * PDC per bucket from their prescriptions, fills and exclusions), replaced in the same
 * transaction as what they are made of, so they never lag it.
 */
export interface DerivedKpiFacts {
  /** The kinds they are made of: a replacement touching a patient's facts of these kinds makes that patient's again. */
  kinds: string[];
  /** The derived facts of these patients (undefined: of everyone), made from the kept facts as `tx` sees them. */
  of: (tx: SqlExecutor, patients: string[] | undefined) => Promise<KpiFactsOf[]>;
}

/**
 * Replaces the facts of each given resource in one transaction, and keeps the per-bucket sums
 * (`kpi_sum`) in step: the contribution of every fact the replacement may change is taken away
 * before and added after. A replayed event rebuilds the same rows and sums, so catching up twice
 * changes nothing; the facts are read back for drill-downs. One replacement at a time (a
 * transaction lock): the sums are read-modify-write over facts that join one another. With
 * `derived`, the derived facts of every patient whose facts of its kinds were kept or are
 * replaced are made again and replaced too.
 */
export async function replaceKpiFacts(
  db: SqlDatabase,
  resources: KpiFactsOf[],
  derived?: DerivedKpiFacts,
): Promise<void> {
  if (resources.length === 0) return;
  await db.transaction(async (tx) => {
    await lockKpiFacts(tx);
    const patients = derived ? await patientsOfKinds(tx, resources, derived.kinds) : [];
    await replaceRows(tx, resources);
    if (derived && patients.length > 0) await replaceInChunks(tx, await derived.of(tx, patients));
  });
}

/** Makes every patient's derived facts again (a daily catch-up), in one transaction under the lock. */
export async function rederiveKpiFacts(db: SqlDatabase, derived: DerivedKpiFacts): Promise<void> {
  await db.transaction(async (tx) => {
    await lockKpiFacts(tx);
    await replaceInChunks(tx, await derived.of(tx, undefined));
  });
}

/** Resources a statement: the sums' joins stay small however many patients are made again. */
const resourcesPerStatement = 2000;

async function replaceInChunks(tx: SqlExecutor, resources: KpiFactsOf[]): Promise<void> {
  for (let at = 0; at < resources.length; at += resourcesPerStatement)
    await replaceRows(tx, resources.slice(at, at + resourcesPerStatement));
}

async function lockKpiFacts(tx: SqlExecutor): Promise<void> {
  // Keyed by schema: the facts and sums that must change one at a time are this schema's
  // tables, so deployments (or test runs) in other schemas of one database do not wait.
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [kpiFactsLock]);
}

const sourcesOf = (resources: KpiFactsOf[]) => ({
  types: resources.map((each) => each.source.resourceType),
  ids: resources.map((each) => each.source.id),
});

const rowsJson = (resources: KpiFactsOf[]) =>
  JSON.stringify(
    resources.flatMap(({ source, facts }) =>
      facts.map((fact) => ({ source_type: source.resourceType, source_id: source.id, ...columnsOf(fact) })),
    ),
  );

/** The patients of the given resources' facts of some kinds, as kept and as replaced. */
async function patientsOfKinds(tx: SqlExecutor, resources: KpiFactsOf[], kinds: string[]) {
  const { types, ids } = sourcesOf(resources);
  const incoming = resources.flatMap(({ facts }) =>
    facts.flatMap((fact) => (fact.patient && kinds.includes(fact.kind) ? [fact.patient] : [])),
  );
  const kept = await tx.query<{ patient: string }>(
    `SELECT DISTINCT f.patient FROM kpi_fact f JOIN unnest($1::text[], $2::text[]) AS t(source_type, source_id)
       USING (source_type, source_id) WHERE f.kind = ANY($3::text[]) AND f.patient IS NOT NULL`,
    [types, ids, kinds],
  );
  return [...new Set([...kept.rows.map((row) => row.patient), ...incoming])].sort();
}

/** The given resources' facts replaced, their contribution to the sums taken away before and added after. */
async function replaceRows(tx: SqlExecutor, resources: KpiFactsOf[]): Promise<void> {
  const { types, ids } = sourcesOf(resources);
  const rows = rowsJson(resources);
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
