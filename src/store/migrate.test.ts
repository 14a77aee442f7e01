import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './testing/backends.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';

describeEachBackend('migrate', (backend) => {
  test('is idempotent: a second run applies nothing and keeps every table', async () => {
    const db = await backend.open();
    try {
      assert.deepEqual(await migrate(db), []);
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migration ORDER BY name');
      assert.deepEqual(
        rows.rows.map((row) => row.name),
        migrations.map((migration) => migration.name),
      );
      const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'resource'");
      assert.ok(tables.rows.length >= 1);
    } finally {
      await db.close();
    }
  });
});
