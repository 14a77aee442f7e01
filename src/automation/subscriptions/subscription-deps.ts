import type { Principal } from '../../access/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';
import type { HostPolicy } from './allowed-hosts.ts';

/** How hard a notification is tried before its Subscription goes to `error`. */
export interface DeliveryPolicy {
  maxAttempts: number;
  retryBaseSeconds: number;
  timeoutMs: number;
}

/** What the Subscriptions connector is given by the composition root. */
export interface SubscriptionDeps {
  /** The connector's own scoped store: reads and updates Subscriptions, audited. */
  repository: FhirRepository;
  /** The store scoped to a subscription's owner: matching and payloads are read in their name. */
  ownerRepository(owner: Principal, subscriptionId: string): FhirRepository;
  /** The database of the change-event stream and the job queue. */
  db: SqlDatabase;
  clock: Clock;
  hosts: HostPolicy;
  delivery: DeliveryPolicy;
  /** The worker's job and subscriber lease (`JOB_LEASE_SECONDS`), which a subscription's leases follow. */
  jobLeaseSeconds: number;
}
