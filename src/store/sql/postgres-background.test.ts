import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupCommit } from '../../kernel/group-commit.ts';
import type { SqlDatabase } from './database.ts';
import { postgresBackend, postgresSkipReason } from '../testing/backends.ts';
import { beginInteractive, runAsBackground } from './work-priority.ts';
import { backgroundYield } from './background-duty.ts';
import { burn, busyRequests } from '../testing/busy-loop.ts';

/**
 * How long a background statement on server PostgreSQL took after a turn of `turnMs` of
 * JavaScript (the answer waits for the next turn while requests keep the loop busy).
 */
async function statementAfterTurn(db: SqlDatabase, turn: { ms: number; then?: () => void }): Promise<number> {
  return runAsBackground(async () => {
    await db.query('SELECT 1');
    burn(turn.ms);
    turn.then?.();
    const from = performance.now();
    await db.query('SELECT 1');
    return performance.now() - from;
  });
}

describe(
  'server PostgreSQL: background work takes turns while requests are in flight',
  { skip: postgresSkipReason },
  () => {
    let db: SqlDatabase;
    before(async () => (db = await postgresBackend.open()));
    after(() => db.close());

    it('after a turn of JavaScript, a background answer waits while requests keep the loop busy, and goes when they end', async () => {
      const requests = busyRequests();
      // A 30 ms turn at a 10% share: the next would be 270 ms later (200 ms at most); they end at 40.
      const waited = await statementAfterTurn(db, {
        ms: 30,
        then: () => setTimeout(() => requests.stop(), 40),
      });
      assert.ok(waited >= 35, `waited ${waited.toFixed(0)} ms for its turn`);
      assert.ok(
        waited < 150,
        `went when the requests ended (${waited.toFixed(0)} ms), not at the time limit`,
      );
    });

    it('a steady busy load slows background work, never stops it', async () => {
      const requests = busyRequests();
      try {
        // A 50 ms turn at a 10% share: the next would be 450 ms later; 200 ms is the most any waits.
        const waited = await statementAfterTurn(db, { ms: 50 });
        assert.ok(waited >= 150 && waited < 1_000, `waited ${waited.toFixed(0)} ms, then went`);
      } finally {
        requests.stop();
      }
    });

    it('several lanes burning JavaScript between statements take together about their share of a busy loop', async () => {
      const requests = busyRequests();
      const from = performance.now();
      let burned = 0;
      // Each lane: a statement, then 20 ms of JavaScript on its answer (FHIRPath over a batch).
      const lane = () =>
        runAsBackground(async () => {
          while (performance.now() - from < 1_500) {
            await db.query('SELECT 1');
            burn(20);
            burned += 20;
          }
        });
      try {
        await Promise.all([lane(), lane(), lane()]);
      } finally {
        requests.stop();
      }
      const share = burned / (performance.now() - from);
      assert.ok(share <= 0.2, `background took ${(share * 100).toFixed(1)}% of the loop (share 10%)`);
    });

    it("background statements' database time counts toward the share, not only the JavaScript on their answers", async () => {
      const requests = busyRequests();
      const from = performance.now();
      let statements = 0;
      try {
        // Each statement holds the database 20 ms and no JavaScript runs on its answer: the old
        // duty cycle counted only the JavaScript and sent them back to back (≈ 100% of the time).
        await runAsBackground(async () => {
          while (performance.now() - from < 1_500) {
            await db.query('SELECT pg_sleep(0.02)');
            statements++;
          }
        });
      } finally {
        requests.stop();
      }
      const share = (statements * 20) / (performance.now() - from);
      assert.ok(share <= 0.2, `background held the database ${(share * 100).toFixed(1)}% of the time`);
      assert.ok(statements >= 3, `and kept moving: ${statements} statements`);
    });

    it('a long background statement lets another start beside it only after its share', async () => {
      const requests = busyRequests();
      const from = performance.now();
      let statements = 0;
      // Two lanes of 100 ms statements: past 50 ms a turn lapses (it may wait on something
      // else than the database), and the next one used to start at once, beside it.
      const lane = () =>
        runAsBackground(async () => {
          while (performance.now() - from < 2_000) {
            await db.query('SELECT pg_sleep(0.1)');
            statements++;
          }
        });
      try {
        await Promise.all([lane(), lane()]);
      } finally {
        requests.stop();
      }
      const share = (statements * 100) / (performance.now() - from);
      // At most 200 ms between turns (never stopped): a third of the time for 100 ms statements.
      assert.ok(share <= 0.45, `background held the database ${(share * 100).toFixed(1)}% of the time`);
    });

    it('a request waiting on the database leaves the loop idle, but gives background no more than its share', async () => {
      const end = beginInteractive();
      // The request's statement holds the database 1.2 s: the loop is idle, the database is not.
      const waiting = db.query('SELECT pg_sleep(1.2)');
      const from = performance.now();
      let burned = 0;
      try {
        await runAsBackground(async () => {
          while (performance.now() - from < 1_000) {
            burn(0.5);
            burned += 0.5;
            await backgroundYield();
          }
        });
        await waiting;
      } finally {
        end();
      }
      const share = burned / (performance.now() - from);
      assert.ok(
        share <= 0.2,
        `background took ${(share * 100).toFixed(1)}% while the request waited on the database`,
      );
    });

    it('nothing waits when no request is in flight, and interactive work never waits', async () => {
      assert.ok((await statementAfterTurn(db, { ms: 50 })) < 100);
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
      const requests = busyRequests();
      const inside: number[] = [];
      let from = 0;
      await runAsBackground(async () => {
        await db.query('SELECT 1');
        burn(30);
        setTimeout(() => requests.stop(), 50);
        from = performance.now();
        await db.transaction(async (tx) => {
          for (let i = 0; i < 3; i++) {
            const at = performance.now();
            await tx.query('SELECT 1');
            inside.push(performance.now() - at);
          }
        });
      });
      assert.ok(performance.now() - from >= 45, 'the transaction waited for its turn before it began');
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
