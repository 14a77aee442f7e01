import { randomUUID } from 'node:crypto';
import type { Subscription } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import {
  advanceCursor,
  leaseSubscription,
  releaseSubscription,
  type ChangeEvent,
} from '../../store/index.ts';
import { endpointRefusal } from './allowed-hosts.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, ownerOf, subscriberOf } from './subscription-model.ts';

/**
 * `requested` → `active`, or `error` with the reason (issue 17). Checked again here, not only
 * at the API: a Subscription written some other way (a Bundle, an import) gets no shortcut. An
 * active subscription's cursor starts at the write that asked for it, so it is notified of
 * every later commit and of nothing before.
 */
export async function activateSubscription(deps: SubscriptionDeps, event: ChangeEvent): Promise<void> {
  const subscription = await deps.repository
    .read<Subscription>('Subscription', event.id)
    .catch(absentUnlessUnavailable);
  if (subscription?.status !== 'requested') return;
  const reason = await refusalOf(deps, subscription);
  if (!reason) await startCursorAt(deps, { subscriber: subscriberOf(event.id), event });
  const { error: _error, ...rest } = subscription;
  await deps.repository.update<Subscription>(
    reason ? { ...rest, status: 'error', error: reason } : { ...rest, status: 'active' },
  );
}

async function refusalOf(deps: SubscriptionDeps, subscription: Subscription): Promise<string | undefined> {
  if (!ownerOf(subscription)) return 'no owner: create Subscriptions with POST /fhir/Subscription';
  try {
    criteriaOf(subscription);
  } catch (error) {
    return (error as Error).message;
  }
  if (subscription.channel?.type !== 'rest-hook') return 'only channel.type rest-hook is supported';
  return endpointRefusal(deps.hosts, subscription.channel.endpoint ?? '');
}

/** Under the subscription's lease for as long as the watcher's own batch lease (`JOB_LEASE_SECONDS`). */
async function startCursorAt(
  { db, jobLeaseSeconds }: Pick<SubscriptionDeps, 'db' | 'jobLeaseSeconds'>,
  start: { subscriber: string; event: ChangeEvent },
): Promise<void> {
  const { subscriber, event } = start;
  const holder = randomUUID();
  if (!(await leaseSubscription(db, subscriber, { holder, seconds: jobLeaseSeconds }))) return;
  try {
    await advanceCursor(db, subscriber, event);
  } finally {
    await releaseSubscription(db, subscriber, holder);
  }
}
