import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/**
 * Where a Subscription may deliver (SSRF guard, issue 17): host names and CIDR ranges from
 * `SUBSCRIPTION_ALLOWED_HOSTS`. Anything else is refused, so a subscription cannot be pointed
 * at the database, the cloud metadata service or any other internal address.
 */
export interface HostPolicy {
  names: Set<string>;
  ranges: BlockList;
  /** The entries as configured, for messages. */
  entries: string[];
}

/** Loopback only: the embedded demo's default (its subscribers run on the same machine). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.0/8', '::1/128'];

export function hostPolicyOf(entries: string[]): HostPolicy {
  const names = new Set<string>();
  const ranges = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0) names.add(entry.toLowerCase());
    else if (bits === undefined) ranges.addAddress(address!, family === 6 ? 'ipv6' : 'ipv4');
    else ranges.addSubnet(address!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  }
  return { names, ranges, entries };
}

/** Why an endpoint may not be reached, or undefined when it may. Names resolve through DNS. */
export async function endpointRefusal(policy: HostPolicy, endpoint: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `"${endpoint}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `${url.protocol} endpoints are not supported`;
  if (url.username || url.password) return 'credentials belong in channel.header, not in the endpoint URL';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.names.has(host)) return undefined;
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  if (addresses.length === 0) return `host ${host} does not resolve`;
  const outside = addresses.find((address) => !inRanges(policy, address));
  if (outside === undefined) return undefined;
  const allowed = policy.entries.length > 0 ? policy.entries.join(', ') : 'none';
  return `host ${host} (${outside}) is not in SUBSCRIPTION_ALLOWED_HOSTS (allowed: ${allowed})`;
}

function inRanges(policy: HostPolicy, address: string): boolean {
  return policy.ranges.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Every address the name stands for: one outside the ranges is enough to refuse. */
async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((each) => each.address);
  } catch {
    return [];
  }
}
