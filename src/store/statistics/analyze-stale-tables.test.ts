import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { analyzeStaleTables, findStaleTables } from './analyze-stale-tables.ts';

/** Writes `count` outbox rows and flushes this connection's change counters at once. */
async function writeEvents(db: SqlDatabase, count: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO change_event (resource_type, id, version_id, action, compartment, occurred_at)
       SELECT 'Observation', gen_random_uuid()::text, 1, 'create', NULL, now() FROM generate_series(1, $1)`,
      [count],
    );
    await tx.query('SELECT pg_stat_force_next_flush()');
  });
}

async function estimatedRows(db: SqlDatabase, table: string): Promise<number> {
  const result = await db.query<{ rows: number }>(
    'SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  return Number(result.rows[0]!.rows);
}

describeEachBackend('statistics upkeep (ANALYZE as autovacuum would)', (backend) => {
  it('analyses a table once its changes since the last ANALYZE pass 50 + 10% of its rows', async () => {
    const db = await backend.open();
    try {
      await writeEvents(db, 500);
      assert.ok(
        (await findStaleTables(db)).includes('change_event'),
        'stale after 500 inserts into an empty table',
      );
      assert.ok((await analyzeStaleTables(db)).includes('change_event'));
      assert.equal(await estimatedRows(db, 'change_event'), 500, 'the planner now knows the table');
      assert.ok(!(await findStaleTables(db)).includes('change_event'), 'fresh once analysed');
      await writeEvents(db, 90);
      assert.ok(
        !(await findStaleTables(db)).includes('change_event'),
        '90 changes are below 50 + 10% of 500',
      );
      await writeEvents(db, 20);
      assert.ok((await findStaleTables(db)).includes('change_event'), '110 changes are past it');
    } finally {
      await db.close();
    }
  });
});
