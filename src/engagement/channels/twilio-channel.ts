import type { ChannelAdapter, OutboundMessage } from './channel.ts';
import { callProvider } from './http-send.ts';
import { findCall, findSms, type TwilioApi } from './twilio-lookup.ts';

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
 * SMS or call whose answer never came is looked up (`find`, `twilio-lookup.ts`) before it is
 * sent again. The status callback names the attempt (`?attempt={Communication id}`; Twilio signs
 * the full URL), so its report settles an attempt whose send answer was lost.
 */
export function twilioChannel(settings: TwilioSettings, kind: 'sms' | 'voice'): ChannelAdapter {
  const base = `${settings.apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const auth = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');
  const api: TwilioApi = { base, auth, from: settings.from, timeoutMs: settings.timeoutMs };
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
    find: (message, since) => (kind === 'sms' ? findSms : findCall)(api, { message, since }),
  };
}

function formOf(
  settings: TwilioSettings,
  { kind, message }: { kind: 'sms' | 'voice'; message: OutboundMessage },
): Record<string, string> {
  const StatusCallback = message.attemptId
    ? `${settings.statusCallback}?attempt=${encodeURIComponent(message.attemptId)}`
    : settings.statusCallback;
  const common = { To: message.to, From: settings.from, StatusCallback };
  if (kind === 'sms') return { ...common, Body: message.text };
  return { ...common, Twiml: `<Response><Say>${escapeXml(message.text)}</Say></Response>` };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
