import type { FastifyRequest } from 'fastify';
import type { Bundle, Resource, Subscription } from '@medplum/fhirtypes';
import { admitSubscription } from '../../automation/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { subscriptionHosts } from '../connectors-service.ts';

/** A resource as the FHIR API stores it: Subscriptions pass their admission first. */
export type Admit = <T extends Resource>(request: FastifyRequest, resource: T) => Promise<T>;

/**
 * Subscriptions are checked where they are written (issue 17): endpoint against the allowed
 * hosts (SSRF), criteria searched as the caller, owner and secret set — in Bundles too.
 */
export function subscriptionAdmission(deps: ServerDeps): {
  admit: Admit;
  admitBundle(request: FastifyRequest, bundle: Bundle): Promise<Bundle>;
} {
  const hosts = subscriptionHosts(deps.config);
  const admit: Admit = async (request, resource) =>
    resource.resourceType === 'Subscription'
      ? ((await admitSubscription(resource as Subscription, {
          owner: request.principal,
          hosts,
          repository: request.fhir,
        })) as typeof resource)
      : resource;
  const admitBundle = async (request: FastifyRequest, bundle: Bundle): Promise<Bundle> => {
    if (!(bundle.entry ?? []).some((entry) => entry.resource?.resourceType === 'Subscription')) return bundle;
    const entry = [];
    for (const each of bundle.entry ?? [])
      entry.push(each.resource ? { ...each, resource: await admit(request, each.resource) } : each);
    return { ...bundle, entry };
  };
  return { admit, admitBundle };
}
