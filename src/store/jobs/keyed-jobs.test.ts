import { testStorePerSuite } from '../testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import { startBackgroundWorker } from './background-worker.ts';
import { scheduleKeyedJob, scheduleKeyedJobs } from './keyed-jobs.ts';

describeEachBackend('keyed jobs', (backend) => {
  const { db } = testStorePerSuite(backend);

  const pending = async (key: string) =>
    (
      await db.query<{ run_at: string }>(
        `SELECT run_at FROM job WHERE key = $1 AND status IN ('ready', 'running')`,
        [key],
      )
    ).rows;

  test('one pending job per key; a sooner schedule moves it earlier, a later one does not', async () => {
    const key = 'request-1';
    await scheduleKeyedJob(db, { queue: 'keyed', payload: { n: 1 }, key, runAt: '2099-01-02T00:00:00Z' });
    await scheduleKeyedJob(db, { queue: 'keyed', payload: { n: 2 }, key, runAt: '2099-01-01T00:00:00Z' });
    await scheduleKeyedJob(db, { queue: 'keyed', payload: { n: 3 }, key, runAt: '2099-01-03T00:00:00Z' });
    const rows = await pending(key);
    assert.equal(rows.length, 1);
    assert.equal(new Date(rows[0]!.run_at).toISOString(), '2099-01-01T00:00:00.000Z');
  });

  test('many at once: the same rule per key, repeated keys folded to the soonest', async () => {
    await scheduleKeyedJob(db, { queue: 'many', payload: {}, key: 'm-1', runAt: '2099-01-05T00:00:00Z' });
    await scheduleKeyedJobs(db, [
      { queue: 'many', payload: { n: 1 }, key: 'm-1', runAt: '2099-01-06T00:00:00Z' },
      { queue: 'many', payload: { n: 2 }, key: 'm-2', runAt: '2099-01-03T00:00:00Z' },
      { queue: 'many', payload: { n: 3 }, key: 'm-2', runAt: '2099-01-02T00:00:00Z' },
      { queue: 'many', payload: { n: 4 }, key: 'm-3', runAt: '2099-01-04T00:00:00Z' },
    ]);
    await scheduleKeyedJobs(db, [
      { queue: 'many', payload: { n: 5 }, key: 'm-3', runAt: '2099-01-01T00:00:00Z' },
    ]);
    const at = async (key: string) => (await pending(key)).map((row) => new Date(row.run_at).toISOString());
    assert.deepEqual(await at('m-1'), ['2099-01-05T00:00:00.000Z']);
    assert.deepEqual(await at('m-2'), ['2099-01-02T00:00:00.000Z']);
    assert.deepEqual(await at('m-3'), ['2099-01-01T00:00:00.000Z']);
    const payload = await db.query<{ payload: unknown }>(`SELECT payload FROM job WHERE key = 'm-2'`);
    assert.deepEqual(payload.rows, [{ payload: { n: 3 } }]);
  });

  test('a handler that answers a follow-up keeps the job (and its key) for later, with the new payload', async () => {
    const seen: unknown[] = [];
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      jobHandlers: [
        {
          queue: 'follow-up',
          concurrency: 4,
          handle: async (job) => {
            seen.push(job.payload);
            const { round } = job.payload as { round: number };
            return round < 2 ? { runAt: new Date().toISOString(), payload: { round: round + 1 } } : undefined;
          },
        },
      ],
    });
    await scheduleKeyedJob(db, {
      queue: 'follow-up',
      payload: { round: 0 },
      key: 'k',
      runAt: new Date().toISOString(),
    });
    await worker.drain();
    await worker.stop();
    assert.deepEqual(seen, [{ round: 0 }, { round: 1 }, { round: 2 }]);
    const rows = await db.query(`SELECT status FROM job WHERE queue = 'follow-up'`);
    assert.deepEqual(rows.rows, [{ status: 'done' }]);
  });
});
