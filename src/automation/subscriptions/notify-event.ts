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

/** The resources of a batch of events that match, by id; a string when the owner may no longer search. */
export type Matches = Map<string, Resource> | string;

/**
 * Which of these events' resources match, in one search run as the owner (`_id` and the
 * criteria): the store's own semantics, the same as `GET [criteria]`, and nothing the owner may
 * not read is ever matched or sent.
 */
export async function matchEvents(
  deps: SubscriptionDeps,
  target: Target,
  events: ChangeEvent[],
): Promise<Matches> {
  const { resourceType, params } = criteriaOf(target.subscription);
  const ids = [
    ...new Set(
      events.filter((e) => e.resourceType === resourceType && e.action !== 'delete').map((e) => e.id),
    ),
  ];
  if (ids.length === 0) return new Map();
  try {
    const bundle = await deps.ownerRepository(target.owner, target.subscription.id).search({
      resourceType,
      params: [...params, ['_id', ids.join(',')], ['_count', String(ids.length)]],
    });
    const found = (bundle.entry ?? []).filter((entry) => entry.search?.mode !== 'include');
    return new Map(found.map((entry) => [entry.resource!.id!, entry.resource!]));
  } catch (error) {
    if (isDatabaseUnavailable(error) || !isThroughlineError(error)) throw error;
    return `the owner's search failed: ${error.message}`;
  }
}

/** One matched write sent to its Subscription: undefined when delivered, else why not. */
export async function notifyEvent(
  deps: SubscriptionDeps,
  target: Target,
  match: { event: ChangeEvent; resource: Resource },
): Promise<string | undefined> {
  const { subscription, owner } = target;
  const { event, resource } = match;
  const refusal = await endpointRefusal(deps.hosts, subscription.channel.endpoint!);
  if (refusal) return refusal;
  const repository = deps.ownerRepository(owner, subscription.id);
  const withPayload = subscription.channel.payload === FHIR_JSON;
  const version = withPayload ? await versionAsOwner(repository, resource, event) : undefined;
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
