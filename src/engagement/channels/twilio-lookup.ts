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

/**
 * The SMS we may have sent: Messages.json filtered by To and From (newest first), the one with
 * our text created since the attempt opened. Twilio keeps no key of ours on a message, so the
 * text and time are what tell it apart.
 */
export async function findSms(
  api: TwilioApi,
  { message, since }: { message: OutboundMessage; since: Date },
): Promise<FoundMessage> {
  const messages = await list(api, { resource: 'Messages', to: message.to });
  const ours = messages.find(
    (sent) =>
      sent.to === message.to &&
      sent.body === message.text &&
      !SMS_NOT_SENT.has(sent.status) &&
      createdSince(sent, since),
  );
  if (!ours) return { found: false };
  const state =
    ours.status === 'delivered' || ours.status === 'read'
      ? 'delivered'
      : ours.status === 'sent'
        ? 'sent'
        : 'queued';
  return { found: true, providerId: ours.sid, state };
}

/**
 * The call we may have placed: Calls.json filtered by To and From (newest first), one created
 * since the attempt opened. A call shows no TwiML, so number and time tell it apart (one
 * attempt per request and channel, and reminders to one patient are hours apart). Not filtered
 * by `StartTime`: a call Twilio has queued but not yet dialled has none, and that is just
 * the call whose answer a timeout loses.
 */
export async function findCall(
  api: TwilioApi,
  { message, since }: { message: OutboundMessage; since: Date },
): Promise<FoundMessage> {
  const calls = await list(api, { resource: 'Calls', to: message.to });
  const ours = calls.find(
    (call) => call.to === message.to && !CALL_NOT_PLACED.has(call.status) && createdSince(call, since),
  );
  if (!ours) return { found: false };
  const state = ours.status === 'completed' ? 'delivered' : ours.status === 'queued' ? 'queued' : 'sent';
  return { found: true, providerId: ours.sid, state };
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
