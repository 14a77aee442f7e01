import type { SqlDatabase, SqlExecutor } from './sql/database.ts';

/** One stored version of the identity match model (table `identity_model`). */
export interface ModelVersion {
  version: number;
  /** The engine's parameters as JSON text, stored verbatim. */
  parameters: string;
  createdAt: string;
  /** What it was trained on, for people (records, candidate pairs, staff decisions). */
  trainedOn: string;
  active: boolean;
  /** Why the plausibility check refused it; empty for an accepted version. */
  refusedBecause: string[];
}

export type ModelSummary = Omit<ModelVersion, 'parameters'>;

interface ModelRow {
  version: number;
  parameters?: string;
  created_at: string | Date;
  trained_on: string;
  active: boolean;
  refused_because: string[];
}

const SUMMARY_COLUMNS = 'version, created_at, trained_on, active, refused_because';

/**
 * Stores a new version; `activate` makes it the only active one. The table lock serialises
 * concurrent training runs, so two versions never both end up active.
 */
export async function insertModelVersion(
  db: SqlDatabase,
  entry: { parameters: string; trainedOn: string; refusedBecause: string[]; activate: boolean },
): Promise<ModelSummary> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE identity_model IN SHARE ROW EXCLUSIVE MODE');
    if (entry.activate) await tx.query('UPDATE identity_model SET active = false WHERE active');
    const result = await tx.query<ModelRow>(
      `INSERT INTO identity_model (parameters, trained_on, active, refused_because)
       VALUES ($1, $2, $3, $4::jsonb) RETURNING ${SUMMARY_COLUMNS}`,
      [entry.parameters, entry.trainedOn, entry.activate, JSON.stringify(entry.refusedBecause)],
    );
    return summaryOf(result.rows[0]!);
  });
}

/** Every version, newest first, without the (large) parameters. */
export async function listModelVersions(db: SqlExecutor): Promise<ModelSummary[]> {
  const result = await db.query<ModelRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM identity_model ORDER BY version DESC`,
  );
  return result.rows.map(summaryOf);
}

/** The active version with its parameters, if any version was ever activated. */
export async function readActiveModel(db: SqlExecutor): Promise<ModelVersion | undefined> {
  const result = await db.query<ModelRow>(
    `SELECT ${SUMMARY_COLUMNS}, parameters FROM identity_model WHERE active`,
  );
  const row = result.rows[0];
  return row ? { ...summaryOf(row), parameters: row.parameters! } : undefined;
}

function summaryOf(row: ModelRow): ModelSummary {
  return {
    version: Number(row.version),
    createdAt: new Date(row.created_at).toISOString(),
    trainedOn: row.trained_on,
    active: row.active,
    refusedBecause: row.refused_because,
  };
}
