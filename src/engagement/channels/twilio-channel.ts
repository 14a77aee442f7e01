import type { ChannelAdapter, FoundMessage, OutboundMessage } from './channel.ts';
import { callProvider, readProvider } from './http-send.ts';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  /** Base URL of the Twilio-compatible API (`https://api.twilio.com` or a local one). */
  apiUrl: string;
  /** Where the provider posts delivery status (`{BASE_URL}/webhooks/twilio/status`). */
  statusCallback: string;
  timeoutMs: number;
}

/**
 * SMS (`Messages.json`) and voice (`Calls.json`, the text read out with TwiML `<Say>`) through
 * a Twilio-compatible REST API, HTTP Basic with the account SID and auth token. Our idempotency
 * key travels as `I-Twilio-Idempotency-Token`, so a gateway that honours it answers a repeat
 * with the first message instead of sending again. Twilio's own API does not deduplicate, so an
 * SMS whose answer never came is looked up (`find`) before it is sent again.
 */
export function twilioChannel(settings: TwilioSettings, kind: 'sms' | 'voice'): ChannelAdapter {
  const base = `${settings.apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const auth = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');
  return {
    provider: 'twilio',
    send: (message) =>
      callProvider({
        url: `${base}/${kind === 'sms' ? 'Messages' : 'Calls'}.json`,
        init: {
          method: 'POST',
          headers: {
            authorization: `Basic ${auth}`,
            'content-type': 'application/x-www-form-urlencoded',
            'i-twilio-idempotency-token': message.idempotencyKey,
          },
          body: new URLSearchParams(formOf(settings, { kind, message })).toString(),
        },
        timeoutMs: settings.timeoutMs,
        idOf: (body) => (body as { sid?: string } | undefined)?.sid,
        state: 'queued',
      }),
    ...(kind === 'sms'
      ? { find: (message, since) => findSms({ settings, base, auth }, { message, since }) }
      : {}),
  };
}

/** Clocks differ: a message created this long before the attempt opened may still be ours. */
const CLOCK_SKEW_MS = 60_000;

/** Twilio's states of a message that did not go (sending it again is no repeat). */
const NOT_SENT = new Set(['failed', 'undelivered', 'canceled']);

interface TwilioMessage {
  sid: string;
  to: string;
  body: string;
  status: string;
  date_created: string;
}

/**
 * The SMS we may have sent: Messages.json filtered by To and From (newest first), the one with
 * our text created since the attempt opened. Twilio keeps no key of ours on a message, so the
 * text and time are what tell it apart.
 */
async function findSms(
  api: { settings: TwilioSettings; base: string; auth: string },
  { message, since }: { message: OutboundMessage; since: Date },
): Promise<FoundMessage> {
  const query = new URLSearchParams({ To: message.to, From: api.settings.from, PageSize: '50' });
  const body = (await readProvider({
    url: `${api.base}/Messages.json?${query}`,
    init: { headers: { authorization: `Basic ${api.auth}` } },
    timeoutMs: api.settings.timeoutMs,
  })) as { messages?: TwilioMessage[] } | undefined;
  const ours = (body?.messages ?? []).find(
    (sent) =>
      sent.to === message.to &&
      sent.body === message.text &&
      !NOT_SENT.has(sent.status) &&
      Date.parse(sent.date_created) >= since.getTime() - CLOCK_SKEW_MS,
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

function formOf(
  settings: TwilioSettings,
  { kind, message }: { kind: 'sms' | 'voice'; message: OutboundMessage },
): Record<string, string> {
  const common = { To: message.to, From: settings.from, StatusCallback: settings.statusCallback };
  if (kind === 'sms') return { ...common, Body: message.text };
  return { ...common, Twiml: `<Response><Say>${escapeXml(message.text)}</Say></Response>` };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
