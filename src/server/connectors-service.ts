import { scopeRepository, servicePrincipal, type Principal } from '../access/index.ts';
import {
  deliverHl7,
  deliverNotifications,
  hostPolicyOf,
  LOOPBACK_HOSTS,
  watchDestinations,
  watchSubscriptions,
  type HostPolicy,
  type Hl7OutDeps,
  type SubscriptionDeps,
} from '../automation/index.ts';
import { isGolden } from '../identity/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { EventHandler, FhirRepository, JobHandler, SqlDatabase } from '../store/index.ts';

const connectorsPrincipal = servicePrincipal({
  id: 'automation-connectors',
  display: 'Automation connectors',
});

/**
 * Where Subscriptions may deliver: `SUBSCRIPTION_ALLOWED_HOSTS`, else nowhere on server
 * PostgreSQL (a production install names its receivers) and loopback on the embedded demo.
 */
export function subscriptionHosts(config: Config): HostPolicy {
  return hostPolicyOf(config.subscriptionAllowedHosts ?? (config.databaseUrl ? [] : LOOPBACK_HOSTS));
}

/**
 * The Subscriptions connector runs as its own principal for its bookkeeping, and as each
 * subscription's owner for what it matches and sends (audited under the owner).
 */
export function subscriptionService(deps: ConnectorDeps): SubscriptionDeps {
  const { repository, db, config, clock } = deps;
  const scoped = connectorsScoped(deps);
  return {
    repository: scoped,
    ownerRepository: (owner: Principal, subscriptionId: string) =>
      scopeRepository(repository, {
        principal: owner,
        context: { requestId: `Subscription/${subscriptionId}` },
        auditDb: db,
      }),
    db,
    clock,
    hosts: subscriptionHosts(config),
    delivery: {
      maxAttempts: config.subscriptionMaxAttempts,
      retryBaseSeconds: config.subscriptionRetryBaseSeconds,
      timeoutMs: config.subscriptionTimeoutSeconds * 1000,
    },
    jobLeaseSeconds: config.jobLeaseSeconds,
  };
}

/** What the connectors are built from. */
export interface ConnectorDeps {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  clock: Clock;
}

function connectorsScoped({ repository, db }: ConnectorDeps): FhirRepository {
  return scopeRepository(repository, {
    principal: connectorsPrincipal,
    context: { requestId: 'automation-connectors' },
    auditDb: db,
  });
}

/** Outbound HL7 v2 to `HL7_DESTINATIONS`; golden records are not reported (their sources are). */
export function hl7OutService(deps: ConnectorDeps): Hl7OutDeps {
  return {
    repository: connectorsScoped(deps),
    db: deps.db,
    clock: deps.clock,
    destinations: deps.config.hl7Destinations,
    skipPatient: isGolden,
    ackTimeoutMs: deps.config.subscriptionTimeoutSeconds * 1000,
    retryBaseSeconds: deps.config.subscriptionRetryBaseSeconds,
    jobLeaseSeconds: deps.config.jobLeaseSeconds,
  };
}

/** The connectors' event subscribers and job handlers, for the background worker. */
export function connectorReactions(deps: ConnectorDeps): { events: EventHandler[]; jobs: JobHandler[] } {
  const subscriptions = subscriptionService(deps);
  const hl7 = hl7OutService(deps);
  return {
    events: [watchSubscriptions(subscriptions), watchDestinations(hl7)],
    jobs: [deliverNotifications(subscriptions), deliverHl7(hl7)],
  };
}
