import { randomBytes } from 'node:crypto';
import type { Subscription } from '@medplum/fhirtypes';
import type { Principal } from '../../access/index.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { endpointRefusal, type HostPolicy } from './allowed-hosts.ts';
import {
  criteriaOf,
  FHIR_JSON,
  OWNER_URL,
  ownerExtension,
  SECRET_URL,
  secretOf,
} from './subscription-model.ts';

/** Who creates the subscription, where it may deliver, and the store scoped to that caller. */
export interface Admission {
  owner: Principal;
  hosts: HostPolicy;
  /** The caller's scoped store: the criteria are tried as a search in their name. */
  repository: FhirRepository;
}

/**
 * A Subscription as the API stores it (issue 17): a rest-hook to an allowed endpoint, criteria
 * the store can search as its owner, a signing secret (generated when none is given), status
 * `requested` — the reactions make it `active` — unless the client sets `off`, and the owner
 * taken from the caller.
 */
export async function admitSubscription(
  subscription: Subscription,
  admission: Admission,
): Promise<Subscription> {
  checkChannel(subscription);
  const refusal = await endpointRefusal(admission.hosts, subscription.channel.endpoint ?? '');
  if (refusal) throw invalid(`channel.endpoint refused: ${refusal}`, 'Subscription.channel.endpoint');
  const { resourceType, params } = criteriaOf(subscription);
  // The store's own search decides what the criteria mean: unknown parameters and types the
  // owner may not search fail here (4xx), not at the first notification.
  await admission.repository.search({ resourceType, params: [...params, ['_count', '0']], strict: true });
  const secret = secretOf(subscription) ?? randomBytes(32).toString('hex');
  const extension = (subscription.extension ?? []).filter(
    (each) => ![SECRET_URL, OWNER_URL].includes(each.url),
  );
  const { error: _error, ...rest } = subscription;
  return {
    ...rest,
    // `off` is the client switching it off (R4 Subscription.status) and stays so; anything else
    // asks again, and the reactions decide whether it becomes `active`.
    status: subscription.status === 'off' ? 'off' : 'requested',
    extension: [...extension, { url: SECRET_URL, valueString: secret }, ownerExtension(admission.owner)],
  };
}

function checkChannel(subscription: Subscription): void {
  const channel = subscription.channel;
  if (channel?.type !== 'rest-hook')
    throw invalid('only channel.type rest-hook is supported', 'Subscription.channel.type');
  if (!channel.endpoint) throw invalid('channel.endpoint is required', 'Subscription.channel.endpoint');
  if (channel.payload !== undefined && channel.payload !== FHIR_JSON)
    throw invalid(`channel.payload must be ${FHIR_JSON} or absent`, 'Subscription.channel.payload');
  const bad = (channel.header ?? []).findIndex((line) => !/^[\w-]+:/.test(line));
  if (bad >= 0)
    throw invalid('channel.header entries read "Name: value"', `Subscription.channel.header[${bad}]`);
}

function invalid(message: string, expression: string): ThroughlineError {
  return new ThroughlineError('INVALID_RESOURCE', message, { expression });
}
