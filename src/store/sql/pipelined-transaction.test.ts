import { test, describe } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import assert from 'node:assert/strict';
import pg from 'pg';
import {
  describeEachBackend,
  postgresBackend,
  postgresSkipReason,
  type TestBackend,
} from '../testing/backends.ts';
import { suiteFixture } from '../testing/suite-fixture.ts';
import type { SqlDatabase } from './database.ts';
import { openPostgres } from './postgres.ts';
import { pipelinedTransaction } from './pipelined-transaction.ts';
import { countRoundTrips } from './count-round-trips.ts';

/** A fresh database of `backend` with an empty `pipeline_probe (n int)` table, for one suite. */
function probeDatabasePerSuite(backend: TestBackend): SqlDatabase {
  return suiteFixture(
    async () => {
      const db = await backend.open();
      await db.exec('CREATE TABLE pipeline_probe (n int)');
      return db;
    },
    (db) => db.close(),
  );
}

/** Until a session of this database waits for advisory lock `key` (a statement blocked on it). */
async function untilAdvisoryLockAwaited(db: SqlDatabase, key: number): Promise<void> {
  const waiting = async () => {
    const { rows } = await db.query<{ waiting: boolean }>(
      `SELECT exists(SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
         WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.objid = $1 AND NOT l.granted
       ) AS waiting`,
      [key],
    );
    return rows[0]!.waiting;
  };
  while (!(await waiting())) await setImmediate();
}

describeEachBackend('a transaction whose statements are issued together', (backend) => {
  const db = probeDatabasePerSuite(backend);

  test('a failing statement fails those issued with it, and nothing of the transaction stays', async () => {
    const attempt = db.transaction((tx) =>
      Promise.all([
        tx.query('INSERT INTO pipeline_probe VALUES ($1)', [1]),
        tx.query('SELECT 1 / ($1::int - 1) AS boom', [1]),
        tx.query('INSERT INTO pipeline_probe VALUES ($1)', [2]),
      ]),
    );
    await assert.rejects(attempt, /division by zero/);
    const { rows } = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM pipeline_probe');
    assert.equal(rows[0]!.count, '0');
  });

  test('a script first in a transaction runs inside it (BEGIN travels with it)', async () => {
    const shown = await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = '4321ms'`);
      const { rows } = await tx.query<{ statement_timeout: string }>('SHOW statement_timeout');
      return rows[0]!.statement_timeout;
    });
    assert.equal(shown, '4321ms');
  });

  test('values and results read as they do one at a time', async () => {
    const [first, second] = await db.transaction((tx) =>
      Promise.all([
        tx.query<{ at: string; big: string; raw: Buffer }>(
          'SELECT $1::timestamptz AS at, $2::bigint AS big, $3::bytea AS raw',
          ['2026-01-02T03:04:05.678Z', '9007199254740993', Buffer.from([0, 1, 255])],
          { prepare: true },
        ),
        tx.query<{ texts: string[] }>('SELECT $1::text[] AS texts', [['a"b', 'c\\d', null]]),
      ]),
    );
    const alone = await db.query<{ at: string }>('SELECT $1::timestamptz AS at', [
      '2026-01-02T03:04:05.678Z',
    ]);
    assert.equal(first.rows[0]!.at, alone.rows[0]!.at);
    assert.equal(first.rows[0]!.big, '9007199254740993');
    assert.deepEqual([...first.rows[0]!.raw], [0, 1, 255]);
    assert.deepEqual(second.rows[0]!.texts, ['a"b', 'c\\d', null]);
  });
});

describe('pipelined statements on server PostgreSQL', { skip: postgresSkipReason }, () => {
  const db = probeDatabasePerSuite(postgresBackend);

  test('BEGIN and statements issued together are one round trip', async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      let sent = 0;
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
        sent++;
        return query(...args);
      };
      const tx = pipelinedTransaction(client as never, {
        statementName: (sql) => `probe_${sql.length}`,
        orUnavailable: (error) => {
          throw error;
        },
      });
      const [a, b] = await Promise.all([
        tx.executor.query<{ a: number }>('SELECT $1::int AS a', [1]),
        tx.executor.query<{ b: number }>('SELECT $1::int AS b', [2], { prepare: true }),
      ]);
      assert.deepEqual([a.rows, b.rows], [[{ a: 1 }], [{ b: 2 }]]);
      assert.equal(sent, 1);
      assert.equal(tx.finish(), true);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  });

  test('a statement issued withCommit travels with COMMIT, and its failure rolls everything back', async () => {
    const sent = countRoundTrips();
    try {
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO pipeline_probe VALUES ($1)', [7]);
        const deferred = await tx.query('INSERT INTO pipeline_probe VALUES ($1)', [8], { withCommit: true });
        assert.deepEqual(deferred.rows, []);
      });
      // BEGIN with the first INSERT; the second with COMMIT.
      assert.equal(sent.count(), 2);
      const failing = db.transaction(async (tx) => {
        await tx.query('INSERT INTO pipeline_probe VALUES ($1)', [9]);
        await tx.query('INSERT INTO pipeline_probe VALUES (1 / ($1::int - 1))', [1], { withCommit: true });
      });
      await assert.rejects(failing, /division by zero/);
      const { rows } = await db.query<{ n: number }>(
        'SELECT n FROM pipeline_probe WHERE n IN (7, 8, 9) ORDER BY n',
      );
      assert.deepEqual(
        rows.map((row) => row.n),
        [7, 8],
      );
    } finally {
      sent.stop();
    }
  });

  test('a statement issued after a lock runs once the lock is held, with a snapshot taken then', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [4242]);
      await tx.query('INSERT INTO pipeline_probe VALUES ($1)', [42]);
      locked();
      await held;
    });
    await lockTaken;
    const reader = db.transaction((tx) =>
      Promise.all([
        tx.query('SELECT pg_advisory_xact_lock($1)', [4242]),
        tx.query<{ count: string }>('SELECT count(*)::text AS count FROM pipeline_probe WHERE n = $1', [42]),
      ]),
    );
    // The reader's lock statement waits behind the holder's before the holder commits.
    await untilAdvisoryLockAwaited(db, 4242);
    release();
    await holder;
    const [, counted] = await reader;
    assert.equal(counted.rows[0]!.count, '1');
  });

  test('a planOnce statement gets a generic plan; the transaction goes on with the session planning', async () => {
    const settings = `SELECT current_setting('plan_cache_mode') AS mode, current_setting('enable_seqscan') AS seqscan,
      current_setting('enable_hashjoin') AS hashjoin, $1::int AS n`;
    const [during, later] = await db.transaction(async (tx) => [
      (await tx.query(settings, [1], { planOnce: true })).rows[0],
      (await tx.query(settings, [2])).rows[0],
    ]);
    assert.deepEqual(during, { mode: 'force_generic_plan', seqscan: 'off', hashjoin: 'off', n: 1 });
    assert.deepEqual(later, { mode: 'force_custom_plan', seqscan: 'on', hashjoin: 'on', n: 2 });
  });

  test('one prepared text issued twice in one round trip is parsed once', async () => {
    const one = openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, maxConnections: 1 });
    try {
      const text = 'SELECT $1::int AS n -- issued twice at once';
      const answers = await one.transaction((tx) =>
        Promise.all([1, 2].map((n) => tx.query<{ n: number }>(text, [n], { prepare: true }))),
      );
      assert.deepEqual(
        answers.map((answer) => answer.rows),
        [[{ n: 1 }], [{ n: 2 }]],
      );
    } finally {
      await one.close();
    }
  });

  test('a prepared statement first parsed in a failed round trip can be used again', async () => {
    const one = openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, maxConnections: 1 });
    try {
      const text = 'SELECT $1::int AS n -- parsed in a failed pipeline';
      await assert.rejects(
        one.transaction((tx) =>
          Promise.all([tx.query(text, [1], { prepare: true }), tx.query('SELECT 1 / $1::int', [0])]),
        ),
        /division by zero/,
      );
      const again = await one.transaction((tx) => tx.query<{ n: number }>(text, [2], { prepare: true }));
      assert.deepEqual(again.rows, [{ n: 2 }]);
    } finally {
      await one.close();
    }
  });
});
