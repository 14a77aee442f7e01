import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeEvent, SqlExecutor } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { openTestStore, testStorePerSuite, type TestStore } from '../store/testing/open-test-store.ts';
import { deliverInOrder, runOnCursor } from './cursor-delivery.ts';
import { withDestination } from './hl7-out/destination-lease.ts';
import { destinationSubscriber } from './hl7-out/hl7-out-deps.ts';

/** A delivery run moves its cursor once, as it gives up the lease, not once per notification. */
describeEachBackend('cursor delivery: one cursor move per run', (backend) => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore(backend);
  });
  after(() => store.db.close());

  /** The event the subscriber's cursor stands on, `txId/seq`. */
  const cursorOf = async (subscriber: string) => {
    const { rows } = await store.db.query<{ at: string }>(
      "SELECT last_tx_id::text || '/' || last_seq AS at FROM event_subscription WHERE subscriber = $1",
      [subscriber],
    );
    return rows[0]!.at;
  };
  const at = (event: ChangeEvent) => `${event.txId}/${event.seq}`;

  /** Three committed writes, then a run over them whose `handle` sees the cursor before each. */
  async function runOver(
    subscriber: string,
    handle: (event: ChangeEvent, index: number) => Promise<{ failure?: string }>,
    moveEveryMs?: number,
  ): Promise<{ seen: ChangeEvent[]; cursors: string[] }> {
    // Its cursor starts past every earlier write.
    await runOnCursor({
      db: store.db,
      subscriber,
      jobLeaseSeconds: 60,
      now: new Date(),
      deliver: async (events) => ({ passed: events.at(-1) }),
    });
    for (let n = 0; n < 3; n++)
      await store.repository.create({ resourceType: 'Basic', code: { text: `w${n}` } });
    const seen: ChangeEvent[] = [];
    const cursors: string[] = [];
    await runOnCursor({
      db: store.db,
      subscriber,
      jobLeaseSeconds: 60,
      now: new Date(),
      deliver: (events, lease) =>
        deliverInOrder({ db: store.db, subscriber, events, lease, moveEveryMs }, async (event) => {
          cursors.push(await cursorOf(subscriber));
          seen.push(event);
          return handle(event, seen.length - 1);
        }),
    }).catch((error: Error) => seen.push({ ...seen.at(-1)!, id: `threw: ${error.message}` }));
    return { seen, cursors };
  }

  test('every notification of the run is sent before the cursor moves; then it is past them all', async () => {
    const { seen, cursors } = await runOver('cursor-test-batch', async () => ({}));
    assert.equal(seen.length, 3);
    const before = cursors[0]!;
    assert.notEqual(before, at(seen[0]!));
    assert.deepEqual(cursors, [before, before, before], 'no move while the run delivers');
    assert.equal(await cursorOf('cursor-test-batch'), at(seen[2]!));
  });

  test('a failure leaves the cursor after the last delivered, so the failed one is tried again first', async () => {
    const { seen } = await runOver('cursor-test-failure', async (_event, index) =>
      index === 2 ? { failure: 'refused' } : {},
    );
    assert.equal(await cursorOf('cursor-test-failure'), at(seen[1]!));
  });

  test('a run that goes on past moveEveryMs moves its cursor on the way', async () => {
    const { seen, cursors } = await runOver(
      'cursor-test-slow',
      async (_event, index) => (index === 0 ? (await sleep(30), {}) : {}),
      20,
    );
    assert.equal(cursors[1], at(seen[0]!), 'moved past the slow first one before the second');
    assert.equal(await cursorOf('cursor-test-slow'), at(seen[2]!));
  });

  test('a run whose lease another run took stops at its next move and moves the cursor no more', async () => {
    const subscriber = 'cursor-test-taken';
    const { seen } = await runOver(
      subscriber,
      async (_event, index) => {
        if (index > 0) return {};
        // The lease ran out while the receiver was slow, and another run took it.
        await store.db.query("UPDATE event_subscription SET leased_by = 'other' WHERE subscriber = $1", [
          subscriber,
        ]);
        await sleep(30);
        return {};
      },
      20,
    );
    assert.equal(seen.length, 1, 'stopped instead of sending beside the new holder');
    const { rows } = await store.db.query<{ moved: boolean }>(
      "SELECT last_tx_id::text || '/' || last_seq <> $2 AS moved FROM event_subscription WHERE subscriber = $1",
      [subscriber, at(seen[0]!)],
    );
    assert.equal(rows[0]!.moved, true, 'the stale run did not move the cursor');
  });

  test('an exception moves the cursor past what was delivered before it, then goes on up', async () => {
    const { seen } = await runOver('cursor-test-throw', async (_event, index) => {
      if (index === 2) throw new Error('store away');
      return {};
    });
    assert.equal(seen.at(-1)!.id, 'threw: store away');
    assert.equal(await cursorOf('cursor-test-throw'), at(seen[1]!));
  });
});

/** How many seconds the subscriber's lease has left now (it is held by whoever asks). */
async function leaseLeft(db: SqlExecutor, subscriber: string): Promise<number> {
  const { rows } = await db.query<{ left: number }>(
    'SELECT extract(epoch FROM leased_until - now())::float8 AS left FROM event_subscription WHERE subscriber = $1',
    [subscriber],
  );
  return Number(rows[0]!.left);
}

describeEachBackend('delivery leases follow JOB_LEASE_SECONDS', (backend) => {
  const { db } = testStorePerSuite(backend);
  // Neither 60 nor 120, the fixed leases they had: twice it is far from both.
  const jobLeaseSeconds = 450;

  test('a delivery run holds its cursor for twice the job lease', async () => {
    let left = 0;
    await runOnCursor({
      db,
      subscriber: 'lease-cursor-run',
      jobLeaseSeconds,
      now: new Date(),
      deliver: async () => {
        left = await leaseLeft(db, 'lease-cursor-run');
        return {};
      },
    });
    assert.ok(left > 850 && left <= 900, `lease left: ${left} s`);
  });

  test('a send to an HL7 destination holds its feed for twice the job lease', async () => {
    const destination = { name: 'lease-destination', host: '127.0.0.1', port: 9, tls: false, events: [] };
    let left = 0;
    const outcome = await withDestination({ db, jobLeaseSeconds }, destination, async () => {
      left = await leaseLeft(db, destinationSubscriber('lease-destination'));
      return 'sent';
    });
    assert.equal(outcome, 'sent');
    assert.ok(left > 850 && left <= 900, `lease left: ${left} s`);
  });
});
