import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../kernel/clock.ts';
import type { ChangeEvent, FhirRepository } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { hostPolicyOf } from './allowed-hosts.ts';
import { watchSubscriptions } from './watch-subscriptions.ts';

/** A committed write as the stream hands it to the watcher. */
const eventOf = (resourceType: string, action: ChangeEvent['action'], n: number): ChangeEvent => ({
  seq: String(n),
  txId: String(1000 + n),
  resourceType,
  id: `w${n}`,
  versionId: '1',
  action,
  compartment: null,
  occurredAt: '2026-12-06T09:00:00Z',
});

describeEachBackend('watching Subscriptions: the active ones are kept between batches', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('searched once for many batches, and again after a batch that wrote a Subscription', async () => {
    let searches = 0;
    // The real store, counting the watcher's searches for the active Subscriptions.
    const counting = new Proxy(repo, {
      get(target, property) {
        if (property !== 'search') return Reflect.get(target, property) as unknown;
        return (request: Parameters<FhirRepository['search']>[0]) => {
          if (request.resourceType === 'Subscription') searches++;
          return target.search(request);
        };
      },
    });
    const watcher = watchSubscriptions(
      {
        repository: counting,
        ownerRepository: () => counting,
        db,
        clock: fixedClock('2026-12-06T09:00:00Z'),
        hosts: hostPolicyOf([]),
        delivery: { maxAttempts: 3, retryBaseSeconds: 1, timeoutMs: 1000 },
        jobLeaseSeconds: 60,
      },
      // Longer than any test run: what is measured is the reading again after a Subscription write.
      { activeKeptMs: 600_000 },
    );
    for (let n = 0; n < 3; n++) await watcher.handleBatch!([eventOf('Observation', 'create', n)]);
    assert.equal(searches, 1, 'three batches of Observations, one search');
    await watcher.handleBatch!([eventOf('Subscription', 'delete', 3)]);
    await watcher.handleBatch!([eventOf('Observation', 'create', 4)]);
    assert.equal(searches, 2, 'a Subscription written: searched again');
  });
});
