import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupCommit } from '../../kernel/group-commit.ts';
import type { SqlDatabase } from './database.ts';
import { postgresBackend, postgresSkipReason } from '../testing/backends.ts';
import { beginInteractive, runAsBackground } from './work-priority.ts';

/** When a background statement on server PostgreSQL started, relative to `from` (ms). */
async function startedAfter(db: SqlDatabase, from: number): Promise<number> {
  await runAsBackground(() => db.query('SELECT 1'));
  return performance.now() - from;
}

describe(
  'server PostgreSQL: background work waits for requests in flight',
  { skip: postgresSkipReason },
  () => {
    let db: SqlDatabase;
    before(async () => (db = await postgresBackend.open()));
    after(() => db.close());

    it('a background statement starts when the request in flight ends', async () => {
      const end = beginInteractive();
      const from = performance.now();
      setTimeout(end, 60);
      const waited = await startedAfter(db, from);
      assert.ok(waited >= 55, `waited ${waited.toFixed(0)} ms for the request`);
      assert.ok(waited < 180, `started when it ended (${waited.toFixed(0)} ms), not at the time limit`);
    });

    it('a steady interactive load slows background work, never stops it', async () => {
      const end = beginInteractive();
      try {
        const waited = await startedAfter(db, performance.now());
        assert.ok(waited >= 150 && waited < 1_000, `waited ${waited.toFixed(0)} ms, then went`);
      } finally {
        end();
      }
    });

    it('nothing waits when no request is in flight, and interactive work never waits', async () => {
      assert.ok((await startedAfter(db, performance.now())) < 100);
      const end = beginInteractive();
      try {
        const from = performance.now();
        await db.query('SELECT 1');
        await db.transaction((tx) => tx.query('SELECT 1'));
        assert.ok(performance.now() - from < 100);
      } finally {
        end();
      }
    });

    it('statements inside a background transaction do not wait (it may hold locks a request needs)', async () => {
      const end = beginInteractive();
      setTimeout(end, 50);
      const from = performance.now();
      const inside: number[] = [];
      await runAsBackground(() =>
        db.transaction(async (tx) => {
          for (let i = 0; i < 3; i++) {
            const at = performance.now();
            await tx.query('SELECT 1');
            inside.push(performance.now() - at);
          }
        }),
      );
      assert.ok(performance.now() - from >= 45, 'the transaction waited before it began');
      assert.ok(
        Math.max(...inside) < 40,
        `no statement inside it waited: ${inside.map((ms) => ms.toFixed(0))}`,
      );
    });

    it('a group commit started by background work does not make a request that joins it wait', async () => {
      const write = groupCommit<string>({
        write: async () => void (await db.query('SELECT 1')),
        maxBatch: 100,
        retryAlone: () => false,
      });
      const end = beginInteractive();
      try {
        const from = performance.now();
        // The request's own row joins the batch a background write began (the audit log's case).
        await Promise.all([runAsBackground(() => write('background')), write('request')]);
        const took = performance.now() - from;
        assert.ok(took < 150, `the shared write went at once (${took.toFixed(0)} ms), not after the request`);
      } finally {
        end();
      }
    });
  },
);
