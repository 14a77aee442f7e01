import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createFhirRepository } from '../create-repository.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { openPostgres, postgresBackend, postgresSkipReason } from '../testing/backends.ts';
import { readEventsAfterCursor, startSubscriptionAtEnd } from './change-events.ts';

/** A transaction held open (with its id taken) until `end()`, on another connection. */
async function openTransaction(db: SqlDatabase): Promise<{ end(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const done = db.transaction(async (tx) => {
    await tx.query('SELECT pg_current_xact_id()');
    started();
    await released;
  });
  await running;
  return {
    async end() {
      release();
      await done;
    },
  };
}

/**
 * The events `subscriber` can read, waiting (up to 15 s) until there is at least one. The horizon
 * is database-wide, and the other test files share this database (each in its own schema), so a
 * transaction of theirs that happens to be open can hold an event back for a moment; one that this
 * test holds open for the whole wait still makes it fail.
 */
async function readOnceReleased(db: SqlDatabase, subscriber: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ids = (await readEventsAfterCursor(db, subscriber, 10)).map((e) => e.id);
    if (ids.length > 0 || Date.now() > deadline) return ids;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Server PostgreSQL only: PGlite is one backend, so no other transaction can be open beside it.
describe('change events: the read horizon', { skip: postgresSkipReason }, () => {
  let db: SqlDatabase;
  let elsewhere: SqlDatabase;
  before(async () => {
    db = await postgresBackend.open();
    const other = new URL(process.env.TEST_DATABASE_URL!);
    other.pathname = '/postgres';
    elsewhere = openPostgres({ connectionString: other.toString(), maxConnections: 1 });
  });
  after(async () => {
    await elsewhere.close();
    await db.close();
  });

  const written = async (subscriber: string) => {
    await startSubscriptionAtEnd(db, subscriber);
    const repo = createFhirRepository(db, { baseUrl: 'http://test/fhir' });
    const { resource } = await repo.create({ resourceType: 'Location', name: subscriber });
    return resource.id!;
  };

  test("a transaction open in another database does not hold back this database's events", async () => {
    const other = await openTransaction(elsewhere);
    try {
      const id = await written('horizon-elsewhere');
      assert.deepEqual(await readOnceReleased(db, 'horizon-elsewhere'), [id]);
    } finally {
      await other.end();
    }
  });

  test('an older transaction open in this database holds back the events after it, until it ends', async () => {
    await startSubscriptionAtEnd(db, 'horizon-here');
    const older = await openTransaction(db);
    let id: string;
    try {
      id = await written('horizon-here');
      // The older transaction could still write an event that sorts before this one.
      assert.deepEqual(await readEventsAfterCursor(db, 'horizon-here', 10), []);
    } finally {
      await older.end();
    }
    assert.deepEqual(await readOnceReleased(db, 'horizon-here'), [id]);
  });
});
