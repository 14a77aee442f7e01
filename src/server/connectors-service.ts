import { scopeRepository, servicePrincipal, type Principal } from '../access/index.ts';
import { hostPolicyOf, LOOPBACK_HOSTS, type HostPolicy, type SubscriptionDeps } from '../automation/index.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Config } from '../kernel/config.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';

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
export function subscriptionService(deps: {
  repository: FhirRepository;
  db: SqlDatabase;
  config: Config;
  clock: Clock;
}): SubscriptionDeps {
  const { repository, db, config, clock } = deps;
  const scoped = scopeRepository(repository, {
    principal: connectorsPrincipal,
    context: { requestId: 'automation-connectors' },
    auditDb: db,
  });
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
  };
}
