import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Subscription } from '@medplum/fhirtypes';
import { fixedClock } from '../../kernel/clock.ts';
import type { SqlDatabase } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { testStorePerSuite } from '../../store/testing/open-test-store.ts';
import { activateSubscription } from './activate-subscription.ts';
import { hostPolicyOf, LOOPBACK_HOSTS } from './allowed-hosts.ts';
import { ownerExtension, subscriberOf } from './subscription-model.ts';

/**
 * The real database, noting before each of its statements how long the subscriber's lease has
 * left then, whenever it is held: what a lease taken and released inside one call lasted.
 */
function noteLease(db: SqlDatabase, subscriber: string): { db: SqlDatabase; left: number[] } {
  const left: number[] = [];
  const noting = new Proxy(db, {
    get(target, property) {
      if (property !== 'query') return Reflect.get(target, property) as unknown;
      return async (...args: Parameters<SqlDatabase['query']>) => {
        const { rows } = await target.query<{ left: number | null }>(
          'SELECT extract(epoch FROM leased_until - now())::float8 AS left FROM event_subscription WHERE subscriber = $1',
          [subscriber],
        );
        if (rows[0]?.left != null) left.push(Number(rows[0].left));
        return target.query(...args);
      };
    },
  });
  return { db: noting, left };
}

describeEachBackend('activating a Subscription', (backend) => {
  const { db, repo } = testStorePerSuite(backend);

  test('starts its cursor under a lease of JOB_LEASE_SECONDS, not a fixed minute', async () => {
    const owner = {
      kind: 'user' as const,
      id: 'u-lease',
      display: 'Lease Owner',
      roles: ['admin'],
      scopes: [],
    };
    const { resource } = await repo.create<Subscription>({
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'lease test',
      criteria: 'Observation?status=final',
      channel: { type: 'rest-hook', endpoint: 'http://127.0.0.1:9/hook', payload: 'application/fhir+json' },
      extension: [ownerExtension(owner)],
    });
    const noted = noteLease(db, subscriberOf(resource.id!));
    await activateSubscription(
      {
        repository: repo,
        ownerRepository: () => repo,
        db: noted.db,
        clock: fixedClock('2026-12-06T09:00:00Z'),
        hosts: hostPolicyOf(LOOPBACK_HOSTS),
        delivery: { maxAttempts: 3, retryBaseSeconds: 1, timeoutMs: 1000 },
        jobLeaseSeconds: 450,
      },
      {
        seq: '1',
        txId: '1',
        resourceType: 'Subscription',
        id: resource.id!,
        versionId: '1',
        action: 'create',
        compartment: null,
        occurredAt: '2026-12-06T09:00:00Z',
      },
    );
    const stored = await repo.read<Subscription>('Subscription', resource.id!);
    assert.equal(stored.status, 'active', stored.error);
    assert.ok(noted.left.length > 0, 'the cursor was started under a lease');
    assert.ok(
      noted.left.every((seconds) => seconds > 400 && seconds <= 450),
      `lease left: ${noted.left.join(', ')} s`,
    );
  });
});
