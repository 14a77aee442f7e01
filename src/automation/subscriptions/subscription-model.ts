import type { Extension, Subscription } from '@medplum/fhirtypes';
import type { Principal } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import { searchCriteriaOf } from '../../fhir/search-url.ts';

/** The HMAC-SHA256 key of a subscription's notifications (`X-Signature`, hex of the body). */
export const SECRET_URL = 'https://throughline.dev/fhir/StructureDefinition/subscription-secret';

/**
 * Who created the subscription, set by the server from the authenticated caller (never from
 * the body): notifications are read as this principal, so they carry only what it may read.
 */
export const OWNER_URL = 'https://throughline.dev/fhir/StructureDefinition/subscription-owner';

/** The one payload type that sends the resource; absent sends an empty notification. */
export const FHIR_JSON = 'application/fhir+json';

/** The job queue of deliveries: one keyed job per Subscription keeps its notifications in order. */
export const NOTIFY_QUEUE = 'automation:subscription-notify';

/** Each Subscription's own cursor over the change-event stream. */
export const subscriberOf = (subscriptionId: string): string => `fhir-subscription:${subscriptionId}`;

/** `criteria` (`Observation?status=final&code=…`) as a search: its type and parameters. */
export interface Criteria {
  resourceType: string;
  params: [string, string][];
}

export function criteriaOf(subscription: Pick<Subscription, 'criteria'>): Criteria {
  const criteria = searchCriteriaOf(subscription.criteria);
  if (!criteria)
    throw new ThroughlineError(
      'INVALID_RESOURCE',
      `criteria "${(subscription.criteria ?? '').trim()}" must read Type?search-parameters`,
      { expression: 'Subscription.criteria' },
    );
  return criteria;
}

export function secretOf(subscription: Subscription): string | undefined {
  return subscription.extension?.find((each) => each.url === SECRET_URL)?.valueString;
}

export function ownerOf(subscription: Subscription): Principal | undefined {
  const raw = subscription.extension?.find((each) => each.url === OWNER_URL)?.valueString;
  if (!raw) return undefined;
  try {
    const owner = JSON.parse(raw) as Principal;
    return typeof owner.id === 'string' && Array.isArray(owner.roles) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The owner's extension, holding what the checkpoint needs to scope reads as them. */
export function ownerExtension(principal: Principal): Extension {
  const { kind, id, display, roles, scopes, patient } = principal;
  return { url: OWNER_URL, valueString: JSON.stringify({ kind, id, display, roles, scopes, patient }) };
}

/** `channel.header` entries read `Name: value`. */
export function headersOf(subscription: Subscription): [string, string][] {
  return (subscription.channel.header ?? []).flatMap((line) => {
    const at = line.indexOf(':');
    return at > 0 ? [[line.slice(0, at).trim(), line.slice(at + 1).trim()] as [string, string]] : [];
  });
}
