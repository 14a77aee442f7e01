import { randomUUID } from 'node:crypto';
import type { Hl7Destination } from '../../kernel/connectors-config.ts';
import { leaseSubscription, releaseSubscription, startSubscriptionAtEnd } from '../../store/index.ts';
import { cursorLeaseSeconds } from '../cursor-delivery.ts';
import { destinationSubscriber, type Hl7OutDeps } from './hl7-out-deps.ts';
import type { Connection } from './send-planned.ts';

/**
 * Work on a destination under its feed's lease, on a connection of its own closed afterwards:
 * one sender at a time per destination (the feed, a rule's hl7-send, a resend). `busy` when
 * the feed holds it. Leased as the feed's runs lease it: this work runs in a job too.
 */
export async function withDestination<T>(
  deps: Pick<Hl7OutDeps, 'db' | 'jobLeaseSeconds'>,
  destination: Hl7Destination,
  work: (connection: Connection) => Promise<T>,
): Promise<T | { busy: string }> {
  const subscriber = destinationSubscriber(destination.name);
  // A destination first seen here starts its feed at the newest event, as the feed would.
  await startSubscriptionAtEnd(deps.db, subscriber);
  const holder = randomUUID();
  const seconds = cursorLeaseSeconds(deps.jobLeaseSeconds);
  if (!(await leaseSubscription(deps.db, subscriber, { holder, seconds })))
    return { busy: 'sending its feed; tried again shortly' };
  const connection: Connection = {};
  try {
    return await work(connection);
  } finally {
    connection.session?.close();
    await releaseSubscription(deps.db, subscriber, holder);
  }
}
