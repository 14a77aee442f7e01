import type { Resource, Subscription } from '@medplum/fhirtypes';
import type { Principal } from '../../access/index.ts';
import { isDatabaseUnavailable, isThroughlineError } from '../../kernel/errors.ts';
import type { ChangeEvent, FhirRepository } from '../../store/index.ts';
import { endpointRefusal } from './allowed-hosts.ts';
import { sendNotification } from './send-notification.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { criteriaOf, FHIR_JSON, headersOf, secretOf } from './subscription-model.ts';

/** An active Subscription with what delivering to it needs. */
export interface Target {
  subscription: Subscription & { id: string };
  owner: Principal;
}

/**
 * One committed write against one Subscription: undefined when done (delivered, or nothing to
 * deliver), else why the delivery failed. Whether it matches is the store's search, run as the
 * owner (`_id` and the criteria): the same semantics as `GET [criteria]`, and nothing the owner
 * may not read is ever matched or sent.
 */
export async function notifyEvent(
  deps: SubscriptionDeps,
  target: Target,
  event: ChangeEvent,
): Promise<string | undefined> {
  const { subscription, owner } = target;
  const criteria = criteriaOf(subscription);
  if (event.resourceType !== criteria.resourceType || event.action === 'delete') return undefined;
  const repository = deps.ownerRepository(owner, subscription.id);
  const matched = await matchAsOwner(repository, event, criteria.params);
  if (typeof matched === 'string') return matched;
  if (!matched) return undefined;
  const withPayload = subscription.channel.payload === FHIR_JSON;
  const refusal = await endpointRefusal(deps.hosts, subscription.channel.endpoint!);
  if (refusal) return refusal;
  const version = withPayload ? await versionAsOwner(repository, matched, event) : undefined;
  return sendNotification({
    endpoint: subscription.channel.endpoint!,
    headers: headersOf(subscription),
    body: version ? JSON.stringify(version) : '',
    secret: secretOf(subscription) ?? '',
    idempotencyKey: `Subscription/${subscription.id}/${event.resourceType}/${event.id}/_history/${event.versionId}`,
    subscriptionId: subscription.id,
    timeoutMs: deps.delivery.timeoutMs,
  });
}

/** The current resource when it matches; a string when the owner may no longer search. */
async function matchAsOwner(
  repository: FhirRepository,
  event: ChangeEvent,
  params: [string, string][],
): Promise<Resource | string | undefined> {
  try {
    const bundle = await repository.search({
      resourceType: event.resourceType,
      params: [...params, ['_id', event.id], ['_count', '1']],
    });
    return bundle.entry?.find((entry) => entry.search?.mode !== 'include')?.resource;
  } catch (error) {
    if (isDatabaseUnavailable(error) || !isThroughlineError(error)) throw error;
    return `the owner's search failed: ${error.message}`;
  }
}

/**
 * The version this event wrote, as the owner may read it (masks applied): the matched current
 * resource when it is that version, else that version from history.
 */
async function versionAsOwner(
  repository: FhirRepository,
  current: Resource,
  event: ChangeEvent,
): Promise<Resource> {
  if (current.meta?.versionId === event.versionId) return current;
  return repository.vread(event.resourceType, event.id, event.versionId).catch((error: unknown) => {
    if (isDatabaseUnavailable(error)) throw error;
    return current;
  });
}
