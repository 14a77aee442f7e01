import type { SqlExecutor } from './sql/database.ts';

/** Replaces a patient record's blocking keys (one statement each way). */
export async function replaceBlockKeys(db: SqlExecutor, patientId: string, keys: string[]): Promise<void> {
  await db.query('DELETE FROM identity_block_key WHERE patient_id = $1', [patientId]);
  if (keys.length === 0) return;
  await db.query(
    'INSERT INTO identity_block_key (key, patient_id) SELECT DISTINCT k, $2 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING',
    [keys, patientId],
  );
}

/** How many candidates at most, and from how many records on a key is too common to count. */
export interface BlockKeySearch {
  /** Default 200. */
  limit?: number;
  /** Default 1000. */
  maxKeyFrequency?: number;
}

/**
 * Patient ids sharing at least one blocking key, those sharing the rarest keys first: each
 * shared key weighs ln(maxKeyFrequency / its frequency), so a shared phone or birth date
 * counts for more than a shared common first name. Keys held by `maxKeyFrequency` records or
 * more (a care home's shared phone, a placeholder email) are skipped: they would pull in
 * hundreds of candidates and say little. Frequencies come from the key-count table (migration
 * 012, kept by triggers): one index lookup per key, whatever the population.
 */
export async function findByBlockKeys(
  db: SqlExecutor,
  keys: string[],
  options: BlockKeySearch = {},
): Promise<string[]> {
  const { limit = 200, maxKeyFrequency = 1000 } = options;
  if (keys.length === 0) return [];
  const result = await db.query<{ patient_id: string }>(
    `WITH wanted AS (
       SELECT c.key, ln($3::float8 / c.patients) AS weight FROM identity_block_key_count c
       WHERE c.key = ANY($1::text[]) AND c.patients > 0 AND c.patients < $3)
     SELECT b.patient_id FROM identity_block_key b JOIN wanted w ON w.key = b.key
     GROUP BY b.patient_id ORDER BY sum(w.weight) DESC, b.patient_id LIMIT $2`,
    [keys, limit, maxKeyFrequency],
  );
  return result.rows.map((row) => row.patient_id);
}
