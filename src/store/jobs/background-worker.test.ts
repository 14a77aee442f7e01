import { testStorePerSuite } from '../testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import { startBackgroundWorker, type EventHandler } from './background-worker.ts';
import { catchUpSubscriber } from './catch-up-events.ts';
import type { ChangeEvent } from './change-events.ts';
import { enqueueJob, listDeadJobs, retryDeadJob } from './job-queue.ts';
import { ThroughlineError } from '../../kernel/errors.ts';

describeEachBackend('background worker: change events and jobs', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('a subscriber sees every committed write once, in order, and resumes after its cursor', async () => {
    const seen: ChangeEvent[] = [];
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      eventHandlers: [{ subscriber: 'audit-test', handle: async (e) => void seen.push(e) }],
    });
    const { resource } = await repo.create({ resourceType: 'Patient', name: [{ family: 'Event' }] });
    await repo.update({ ...resource, gender: 'female' });
    await worker.drain();
    const mine = seen.filter((event) => event.id === resource.id);
    assert.deepEqual(
      mine.map((event) => event.action),
      ['create', 'update'],
    );
    await repo.delete('Patient', resource.id!);
    await worker.drain();
    assert.deepEqual(
      seen.filter((event) => event.id === resource.id).map((event) => event.action),
      ['create', 'update', 'delete'],
    );
    await worker.stop();
  });

  test('a slow subscriber does not hold back a fast one: each has its own loop', async () => {
    const fast: string[] = [];
    const slow: string[] = [];
    const marker = `lanes-${Date.now()}`;
    const mine = (event: ChangeEvent) => event.resourceType === 'Location';
    // The slow one is held until the fast one has seen every event (not slowed by a fixed
    // pause, which a loaded machine can outlast): a shared loop would never get there.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const worker = startBackgroundWorker(db, {
      pollMs: 10,
      batchSize: 5,
      eventHandlers: [
        {
          subscriber: `slow-${marker}`,
          handle: async (event) => {
            if (!mine(event)) return;
            await released;
            slow.push(event.id);
          },
        },
        { subscriber: `fast-${marker}`, handle: async (event) => void (mine(event) && fast.push(event.id)) },
      ],
    });
    for (let i = 0; i < 30; i++) await repo.create({ resourceType: 'Location', name: `${marker} ${i}` });
    // Only a bound for the failure (a shared loop waits forever), far beyond what a loaded machine needs.
    const deadline = Date.now() + 60_000;
    while (fast.length < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const slowSeen = slow.length;
    release();
    await worker.drain();
    await worker.stop();
    assert.equal(fast.length, 30, 'the fast subscriber saw every event');
    assert.equal(slowSeen, 0, 'meanwhile the slow one was still held at its first event');
    assert.equal(slow.length, 30, 'released, the slow one went on to see every event');
  });

  test('a failing event handler does not block the stream: the event is retried as a job and dead-lettered', async () => {
    const handled: string[] = [];
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      eventHandlers: [
        {
          subscriber: 'picky',
          handle: async (event) => {
            if (event.resourceType === 'Organization')
              throw new ThroughlineError('INVALID_REQUEST', 'organizations are not welcome');
            handled.push(event.resourceType);
          },
        },
      ],
    });
    await repo.create({ resourceType: 'Organization', name: 'Poison' });
    await repo.create({ resourceType: 'Practitioner', name: [{ family: 'After' }] });
    await worker.drain();
    assert.ok(handled.includes('Practitioner'));
    const dead = await listDeadJobs(db, 'event:picky');
    assert.equal(dead.length, 1);
    assert.match(dead[0]!.lastError, /INVALID_REQUEST: organizations are not welcome/);
    await worker.stop();
  });

  /** A subscriber that notes, while it handles each event, how many seconds its lease has left. */
  const leaseWatcher = (subscriber: string) => {
    const left: number[] = [];
    const handler: EventHandler = {
      subscriber,
      handle: async () => {
        const { rows } = await db.query<{ left: number }>(
          'SELECT extract(epoch FROM leased_until - now())::float8 AS left FROM event_subscription WHERE subscriber = $1',
          [subscriber],
        );
        left.push(Number(rows[0]!.left));
      },
    };
    return { handler, left };
  };

  test('a subscriber is leased for the seconds the worker is given (JOB_LEASE_SECONDS), not a fixed minute', async () => {
    await repo.create({ resourceType: 'Patient', name: [{ family: 'Lease' }] });
    const pumped = leaseWatcher('lease-pumped');
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      leaseSeconds: 900,
      eventHandlers: [pumped.handler],
    });
    await worker.drain();
    await worker.stop();
    const caughtUp = leaseWatcher('lease-caught-up');
    await catchUpSubscriber(db, caughtUp.handler, { leaseSeconds: 900 });
    for (const { left } of [pumped, caughtUp]) {
      assert.ok(left.length > 0, 'it handled events');
      assert.ok(
        left.every((seconds) => seconds > 850 && seconds <= 900),
        `lease left: ${left.join(', ')} s`,
      );
    }
  });

  test(
    'drain stops at its limit even while a lane keeps finding work (a job that requeues itself at once)',
    {
      timeout: 120_000,
    },
    async () => {
      let runs = 0;
      const said: unknown[] = [];
      const worker = startBackgroundWorker(db, {
        pollMs: 0,
        drainLimitMs: 1000,
        onError: (error) => said.push(error),
        jobHandlers: [
          {
            queue: 'requeues-itself',
            // Due a second ago, every time: the lane finds it again in its very next round.
            handle: async () => ((runs += 1), { runAt: new Date(Date.now() - 1000).toISOString() }),
          },
        ],
      });
      await enqueueJob(db, { queue: 'requeues-itself', payload: {} });
      const started = Date.now();
      await worker.drain();
      const took = Date.now() - started;
      await worker.stop();
      await db.query("DELETE FROM job WHERE queue = 'requeues-itself'");
      // Past its 30 s wait for work it cannot read yet, which a lane finding work goes on past.
      assert.ok(took >= 1000 && took < 30_000, `drain took ${took} ms`);
      assert.ok(runs > 1, `the job ran ${runs} times`);
      assert.match(String(said[0]), /drain stopped after 1000 ms with work still found/);
    },
  );

  test('a job that keeps failing with a transient error is retried, then dead-lettered; retry puts it back', async () => {
    let calls = 0;
    const worker = startBackgroundWorker(db, {
      pollMs: 0,
      jobHandlers: [
        {
          queue: 'flaky',
          handle: async () =>
            void (
              calls++,
              (() => {
                throw new Error('smtp down');
              })()
            ),
        },
      ],
    });
    const id = await enqueueJob(
      db,
      { queue: 'flaky', payload: { to: 'maya@example.org' } },
      { maxAttempts: 1 },
    );
    await worker.drain();
    assert.equal(calls, 1);
    const dead = await listDeadJobs(db, 'flaky');
    assert.equal(dead[0]?.id, id);
    assert.match(dead[0]!.lastError, /smtp down/);
    await retryDeadJob(db, id);
    await worker.drain();
    assert.equal(calls, 2);
    await worker.stop();
  });
});
