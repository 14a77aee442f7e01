import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlExecutor } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { testStorePerSuite } from '../store/testing/open-test-store.ts';
import { runOnCursor } from './cursor-delivery.ts';
import { withDestination } from './hl7-out/destination-lease.ts';
import { destinationSubscriber } from './hl7-out/hl7-out-deps.ts';

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
