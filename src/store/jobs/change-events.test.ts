import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import { testStorePerSuite } from '../testing/open-test-store.ts';
import {
  leaseAndReadEvents,
  moveCursorAndRelease,
  readEventsAfterCursor,
  startSubscriptionAtEnd,
} from './change-events.ts';

describeEachBackend('change events: lease and read, move and release', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  /** A subscriber whose cursor starts after everything written so far, then `count` new Locations. */
  const subscriberWithEvents = async (subscriber: string, count: number): Promise<string[]> => {
    await startSubscriptionAtEnd(db, subscriber);
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push((await repo.create({ resourceType: 'Location', name: `${subscriber} ${i}` })).resource.id!);
    return ids;
  };

  test('one statement leases and reads the events after the cursor, in commit order', async () => {
    const ids = await subscriberWithEvents('lease-read', 3);
    const events = await leaseAndReadEvents(db, 'lease-read', { holder: 'a', seconds: 60, limit: 2 });
    assert.deepEqual(
      events?.map((e) => e.id),
      ids.slice(0, 2),
    );
    assert.deepEqual(
      (await readEventsAfterCursor(db, 'lease-read', 10)).map((e) => e.id),
      ids,
      'the same events readEventsAfterCursor reads',
    );
    assert.equal(
      await leaseAndReadEvents(db, 'lease-read', { holder: 'b', seconds: 60, limit: 10 }),
      undefined,
      'another holder gets no lease and no events',
    );
  });

  test('a subscriber leased with nothing to read gets an empty list; a new subscriber starts at the beginning', async () => {
    await subscriberWithEvents('lease-empty', 0);
    assert.deepEqual(
      await leaseAndReadEvents(db, 'lease-empty', { holder: 'a', seconds: 60, limit: 10 }),
      [],
    );
    const fresh = await leaseAndReadEvents(db, 'lease-fresh', { holder: 'a', seconds: 60, limit: 1 });
    assert.equal(fresh?.length, 1, 'a subscriber without a cursor reads from the first event');
  });

  test('move and release: the cursor moves past the last event and the lease is free for the next holder', async () => {
    const ids = await subscriberWithEvents('move-release', 3);
    const first = (await leaseAndReadEvents(db, 'move-release', { holder: 'a', seconds: 60, limit: 2 }))!;
    await moveCursorAndRelease(db, 'move-release', { holder: 'a', last: first.at(-1) });
    const next = await leaseAndReadEvents(db, 'move-release', { holder: 'b', seconds: 60, limit: 10 });
    assert.deepEqual(
      next?.map((e) => e.id),
      ids.slice(2),
    );
    // Released without a move: the cursor stays, the events are read again.
    await moveCursorAndRelease(db, 'move-release', { holder: 'b' });
    const again = await leaseAndReadEvents(db, 'move-release', { holder: 'a', seconds: 60, limit: 10 });
    assert.deepEqual(
      again?.map((e) => e.id),
      ids.slice(2),
    );
  });

  test('a holder whose lease ran out and was taken over moves nothing: the new holder reads those events', async () => {
    const ids = await subscriberWithEvents('lost-lease', 2);
    const stale = (await leaseAndReadEvents(db, 'lost-lease', { holder: 'a', seconds: 0, limit: 10 }))!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const taken = await leaseAndReadEvents(db, 'lost-lease', { holder: 'b', seconds: 60, limit: 10 });
    assert.deepEqual(
      taken?.map((e) => e.id),
      ids,
      'the expired lease was taken over',
    );
    await moveCursorAndRelease(db, 'lost-lease', { holder: 'a', last: stale.at(-1) });
    assert.equal(
      await leaseAndReadEvents(db, 'lost-lease', { holder: 'c', seconds: 60, limit: 10 }),
      undefined,
      'the stale holder did not release the new holder’s lease',
    );
    assert.deepEqual(
      (await readEventsAfterCursor(db, 'lost-lease', 10)).map((e) => e.id),
      ids,
      'nor move its cursor',
    );
  });
});
