import type { SqlDatabase } from '../sql/database.ts';

/** When a table's statistics are stale: as autovacuum decides, `threshold + scaleFactor × rows`. */
export interface StalenessRule {
  /** Changed rows (inserts, updates, deletes) since the last ANALYZE that always count as stale. */
  threshold: number;
  /** …plus this fraction of the rows the table had at its last ANALYZE. */
  scaleFactor: number;
}

/** PostgreSQL's own defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor). */
export const AUTOVACUUM_RULE: StalenessRule = { threshold: 50, scaleFactor: 0.1 };

/**
 * Rows sampled per column is 300 × this target. On the embedded database an ANALYZE holds the
 * one connection, so it samples 6,000 rows (≈ 0.15 s a table) instead of 30,000 (≈ 1.3 s):
 * plenty to tell a patient's 60 Observations from 28,000.
 */
const EMBEDDED_STATISTICS_TARGET = 20;

/**
 * The tables of the current schema whose change count since their last ANALYZE passes the rule
 * (`pg_stat_user_tables.n_mod_since_analyze`). Works on PGlite too, whose statistics counters
 * are flushed only when asked: `pg_stat_force_next_flush()` first.
 */
export async function findStaleTables(
  db: SqlDatabase,
  rule: StalenessRule = AUTOVACUUM_RULE,
): Promise<string[]> {
  await db.query('SELECT pg_stat_force_next_flush()');
  const stale = await db.query<{ name: string }>(
    `SELECT quote_ident(s.relname) AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze > $1 + $2 * greatest(c.reltuples, 0)
     ORDER BY s.n_mod_since_analyze DESC`,
    [rule.threshold, rule.scaleFactor],
  );
  return stale.rows.map((row) => row.name);
}

/**
 * ANALYZEs the stale tables, one at a time (one slice each on the embedded database). Whole
 * tables: an ANALYZE of some columns does not reset the change count. The payload columns have
 * no statistics (migration 026), which keeps each one cheap. Returns the tables analysed.
 */
export async function analyzeStaleTables(
  db: SqlDatabase,
  rule: StalenessRule = AUTOVACUUM_RULE,
): Promise<string[]> {
  const tables = await findStaleTables(db, rule);
  for (const table of tables) {
    if (db.dialect === 'postgres') await db.exec(`ANALYZE ${table}`);
    else
      await db.transaction((tx) =>
        tx.exec(`SET LOCAL default_statistics_target = ${EMBEDDED_STATISTICS_TARGET}; ANALYZE ${table}`),
      );
  }
  return tables;
}
