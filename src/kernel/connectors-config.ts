import { integer, optional, optionalField, type FieldSpec } from './config-fields.ts';

/** An outbound HL7 v2 destination: where ADT^A08 and ORU^R01 go over MLLP (issue 17). */
export interface Hl7Destination {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  /** Message types it takes (`ADT^A08`, `ORU^R01`); all of them when the URL names none. */
  events: string[];
}

/** Outbound connectors (automation): FHIR Subscriptions and HL7 v2 destinations. */
export interface ConnectorsConfig {
  /**
   * Host names and CIDRs a Subscription endpoint may reach (SSRF guard). Unset → the
   * composition root's default: none on server PostgreSQL, loopback on the embedded demo.
   */
  subscriptionAllowedHosts: string[] | undefined;
  /** Failed deliveries of one notification before the Subscription goes to `error`. */
  subscriptionMaxAttempts: number;
  /** First retry delay after a failed delivery (doubles each try). */
  subscriptionRetryBaseSeconds: number;
  /** A subscriber that takes longer to answer has failed that attempt. */
  subscriptionTimeoutSeconds: number;
  hl7Destinations: Hl7Destination[];
  /**
   * The HMAC-SHA256 key of automation rules' `webhook` actions (`X-Signature`); unset, a webhook
   * action fails with the reason. Endpoints are held to `SUBSCRIPTION_ALLOWED_HOSTS` like Subscriptions.
   */
  automationWebhookSecret: string | undefined;
  /**
   * The one folder automation rules' `extract` actions write into (a rule names at most a
   * sub-folder inside it); unset, an extract action fails with that reason.
   */
  automationExtractDir: string | undefined;
}

/** The messages a destination may ask for (`?events=`): ADT^A31 only when asked. */
export const HL7_OUT_EVENTS = ['ADT^A08', 'ADT^A31', 'ORU^R01'];
/** What a destination without `?events=` gets. */
export const HL7_DEFAULT_EVENTS = ['ADT^A08', 'ORU^R01'];

function hostList(raw: string | undefined): string[] | undefined {
  const value = optional(raw);
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length > 0);
}

/**
 * `name=mllp://host:port?events=ADT^A08,ORU^R01, other=mllps://…`: the events list has commas
 * too, so a new destination starts only where a part reads `name=mllp…`.
 */
function destinations(raw: string | undefined): Hl7Destination[] {
  const value = optional(raw);
  if (value === undefined) return [];
  const entries: string[] = [];
  for (const part of value.split(',').map((each) => each.trim())) {
    if (/^[\w.-]+=mllps?:\/\//.test(part) || entries.length === 0) entries.push(part);
    else entries[entries.length - 1] += `,${part}`;
  }
  return entries.map(destinationOf);
}

function destinationOf(entry: string): Hl7Destination {
  const match = /^([\w.-]+)=(mllps?):\/\/([^:/?]+|\[[0-9a-f:]+\]):(\d{1,5})\/?(?:\?events=(.*))?$/i.exec(
    entry,
  );
  if (!match)
    throw new Error(
      `HL7_DESTINATIONS entries must read name=mllp://host:port[?events=ADT^A08,…], got "${entry}"`,
    );
  const events = match[5] ? match[5].split(',').map((each) => each.trim().toUpperCase()) : HL7_DEFAULT_EVENTS;
  const unknown = events.filter((event) => !HL7_OUT_EVENTS.includes(event));
  if (unknown.length > 0)
    throw new Error(`HL7_DESTINATIONS "${match[1]}" names unknown events (${unknown.join(', ')})`);
  const port = Number(match[4]);
  if (port < 1 || port > 65535) throw new Error(`HL7_DESTINATIONS "${match[1]}" has a bad port ${port}`);
  const host = match[3]!.replace(/^\[|\]$/g, '');
  return { name: match[1]!, host, port, tls: match[2]!.toLowerCase() === 'mllps', events };
}

export const connectorsSchema: { [K in keyof ConnectorsConfig]: FieldSpec<ConnectorsConfig[K]> } = {
  subscriptionAllowedHosts: { env: 'SUBSCRIPTION_ALLOWED_HOSTS', parse: hostList },
  subscriptionMaxAttempts: {
    env: 'SUBSCRIPTION_MAX_ATTEMPTS',
    parse: integer('SUBSCRIPTION_MAX_ATTEMPTS', { fallback: 6, min: 1, max: 50 }),
  },
  subscriptionRetryBaseSeconds: {
    env: 'SUBSCRIPTION_RETRY_BASE_SECONDS',
    parse: integer('SUBSCRIPTION_RETRY_BASE_SECONDS', { fallback: 2, min: 0, max: 3600 }),
  },
  subscriptionTimeoutSeconds: {
    env: 'SUBSCRIPTION_TIMEOUT_SECONDS',
    parse: integer('SUBSCRIPTION_TIMEOUT_SECONDS', { fallback: 10, min: 1, max: 300 }),
  },
  hl7Destinations: { env: 'HL7_DESTINATIONS', parse: destinations },
  automationWebhookSecret: optionalField('AUTOMATION_WEBHOOK_SECRET'),
  automationExtractDir: optionalField('AUTOMATION_EXTRACT_DIR'),
};
