import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../testing/backends.ts';
import { testStorePerSuite } from '../testing/open-test-store.ts';
import {
  leaseAndReadEvents,
  moveCursorAndRelease,
  readEventsAfterCursor,
  startSubscriptionAtEnd,
  subscribersWithoutEvents,
} from './change-events.ts';
import { pumpEvents } from './background-worker.ts';

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

  test('the idle probe: events of other types leave a typed subscriber idle and its cursor moves past them, not while leased', async () => {
    const locations = await subscriberWithEvents('typed', 0);
    await subscriberWithEvents('untyped', 0);
    await leaseAndReadEvents(db, 'typed', { holder: 'a', seconds: 60, limit: 0 });
    locations.push((await repo.create({ resourceType: 'Location', name: 'typed' })).resource.id!);
    const probe = () =>
      subscribersWithoutEvents(db, [{ subscriber: 'typed', types: ['Patient'] }, { subscriber: 'untyped' }]);
    assert.deepEqual(await probe(), ['typed'], 'a Location wakes only the subscriber of every type');
    assert.deepEqual(
      (await readEventsAfterCursor(db, 'typed', 10)).map((e) => e.id),
      locations,
      'a leased cursor is not moved',
    );
    await moveCursorAndRelease(db, 'typed', { holder: 'a' });
    assert.deepEqual(await probe(), ['typed']);
    assert.deepEqual(await readEventsAfterCursor(db, 'typed', 10), [], 'moved past the Location, unread');
    const patient = (await repo.create({ resourceType: 'Patient', name: [{ family: 'Typed' }] })).resource
      .id!;
    assert.deepEqual(await probe(), [], 'a Patient wakes it');
    assert.deepEqual(
      (await readEventsAfterCursor(db, 'typed', 10)).map((e) => e.id),
      [patient],
    );
  });

  test('a batch without the types a handler names is not handed to it; one with them is, whole', async () => {
    await subscriberWithEvents('typed-pump', 1);
    const handed: string[] = [];
    const handler = {
      subscriber: 'typed-pump',
      resourceTypes: () => ['Patient'],
      handle: async (event: { id: string }) => void handed.push(event.id),
    };
    assert.equal(await pumpEvents(db, handler, { holder: 'a', batchSize: 10, leaseSeconds: 60 }), 0);
    assert.deepEqual(handed, [], 'a Location alone: nothing to do');
    assert.deepEqual(await readEventsAfterCursor(db, 'typed-pump', 10), [], 'the cursor moved past it');
    const another = (await repo.create({ resourceType: 'Location', name: 'pump' })).resource.id!;
    const patient = (await repo.create({ resourceType: 'Patient', name: [{ family: 'Pump' }] })).resource.id!;
    assert.equal(await pumpEvents(db, handler, { holder: 'a', batchSize: 10, leaseSeconds: 60 }), 2);
    assert.deepEqual(handed, [another, patient], 'with a Patient: the batch as it is');
  });
});
