import type { SqlDatabase } from './sql/database.ts';

/**
 * Whether the database answers `SELECT 1` within `timeoutMs`: the readiness probe. Never
 * throws; a database that is away, or too slow to answer, is `false`.
 */
export async function pingDatabase(db: SqlDatabase, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = db.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
