import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeEvent } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../store/testing/open-test-store.ts';
import { deliverInOrder, runOnCursor } from './cursor-delivery.ts';

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
      now: new Date(),
      deliver: (events) =>
        deliverInOrder({ db: store.db, subscriber, events, moveEveryMs }, async (event) => {
          cursors.push(await cursorOf(subscriber));
          seen.push(event);
          return handle(event, seen.length - 1);
        }),
    });
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
});
