import type { FoundMessage, OutboundMessage } from './channel.ts';
import { readProvider } from './http-send.ts';

/** How to ask one Twilio account: its API base (`…/Accounts/{sid}`), Basic auth, our number. */
export interface TwilioApi {
  base: string;
  auth: string;
  from: string;
  timeoutMs: number;
}

/** Clocks differ: a message created this long before the attempt opened may still be ours. */
const CLOCK_SKEW_MS = 60_000;

/** Twilio's states of an SMS that did not go (sending it again is no repeat). */
const SMS_NOT_SENT = new Set(['failed', 'undelivered', 'canceled']);

/** Twilio's states of a call that never rang her phone (placing it again is no second call she heard). */
const CALL_NOT_PLACED = new Set(['failed', 'canceled']);

interface TwilioRecord {
  sid: string;
  to: string;
  from?: string;
  body?: string;
  status: string;
  date_created: string;
}

type FoundState = Extract<FoundMessage, { found: true }>['state'];

/** What tells one of our records apart on one Twilio list, and what its status means to us. */
interface Lookup {
  resource: 'Messages' | 'Calls';
  isOurs(record: TwilioRecord, message: OutboundMessage): boolean;
  stateOf(status: string): FoundState;
}

/**
 * The SMS we may have sent: Messages.json filtered by To and From (newest first), the one with
 * our text created since the attempt opened. Twilio keeps no key of ours on a message, so the
 * text and time are what tell it apart.
 */
const SMS_LOOKUP: Lookup = {
  resource: 'Messages',
  isOurs: (sent, message) => sent.body === message.text && !SMS_NOT_SENT.has(sent.status),
  stateOf: (status) =>
    status === 'delivered' || status === 'read' ? 'delivered' : status === 'sent' ? 'sent' : 'queued',
};

/**
 * The call we may have placed: Calls.json filtered by To and From (newest first), one created
 * since the attempt opened. A call shows no TwiML, so number and time tell it apart (one
 * attempt per request and channel, and reminders to one patient are hours apart). Not filtered
 * by `StartTime`: a call Twilio has queued but not yet dialled has none, and that is just
 * the call whose answer a timeout loses.
 */
const CALL_LOOKUP: Lookup = {
  resource: 'Calls',
  isOurs: (call) => !CALL_NOT_PLACED.has(call.status),
  stateOf: (status) => (status === 'completed' ? 'delivered' : status === 'queued' ? 'queued' : 'sent'),
};

interface Attempt {
  message: OutboundMessage;
  since: Date;
}

export const findSms = (api: TwilioApi, attempt: Attempt) => findSent(api, SMS_LOOKUP, attempt);
export const findCall = (api: TwilioApi, attempt: Attempt) => findSent(api, CALL_LOOKUP, attempt);

/** Ours among the newest records to her number created since the attempt opened, if any. */
async function findSent(api: TwilioApi, lookup: Lookup, { message, since }: Attempt): Promise<FoundMessage> {
  const records = await list(api, { resource: lookup.resource, to: message.to });
  const ours = records.find(
    (record) => record.to === message.to && createdSince(record, since) && lookup.isOurs(record, message),
  );
  if (!ours) return { found: false };
  return { found: true, providerId: ours.sid, state: lookup.stateOf(ours.status) };
}

async function list(
  api: TwilioApi,
  query: { resource: 'Messages' | 'Calls'; to: string },
): Promise<TwilioRecord[]> {
  const params = new URLSearchParams({ To: query.to, From: api.from, PageSize: '50' });
  const body = (await readProvider({
    url: `${api.base}/${query.resource}.json?${params}`,
    init: { headers: { authorization: `Basic ${api.auth}` } },
    timeoutMs: api.timeoutMs,
  })) as { messages?: TwilioRecord[]; calls?: TwilioRecord[] } | undefined;
  return (query.resource === 'Messages' ? body?.messages : body?.calls) ?? [];
}

function createdSince(record: TwilioRecord, since: Date): boolean {
  return Date.parse(record.date_created) >= since.getTime() - CLOCK_SKEW_MS;
}
