import { createHmac, randomBytes } from 'node:crypto';
import { startProviderServer, type ProviderOptions, type ProviderServer } from './provider-server.ts';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

/**
 * A local server that speaks the Twilio REST API for Messages and Calls (form bodies, HTTP
 * Basic with the account SID and auth token, `sid` in the answer, Twilio-style error bodies,
 * 429 with Retry-After, the list of messages by `To`, newest first) and honours
 * `I-Twilio-Idempotency-Token` unless told not to (`deduplicates: false`, as Twilio itself).
 */
export async function startTwilioServer(
  account: TwilioAccount,
  options: ProviderOptions = {},
): Promise<ProviderServer> {
  const basic = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  return startProviderServer(
    {
      route: new RegExp(`^/2010-04-01/Accounts/${account.accountSid}/(Messages|Calls)\\.json$`),
      authorized: (request) => request.headers.authorization === basic,
      parse: (body, request) => {
        const form = new URLSearchParams(body);
        const key = request.headers['i-twilio-idempotency-token'];
        return {
          to: form.get('To') ?? '',
          text: form.get('Body') ?? form.get('Twiml') ?? '',
          idempotencyKey: typeof key === 'string' ? key : undefined,
          resource: resourceOf(request.url),
          statusCallback: form.get('StatusCallback') ?? undefined,
        };
      },
      newId: () => `SM${randomBytes(16).toString('hex')}`,
      answer: (message) => ({ sid: message.id, status: 'queued', to: message.to, body: message.text }),
      error: (status) => ({
        code: status === 400 ? 21211 : status,
        message: status === 400 ? "The 'To' number is not a valid phone number." : `status ${status}`,
        status,
      }),
      // Messages.json and Calls.json by To, newest first; a call queued but not dialled has no start_time.
      list: (accepted, query, path) => {
        const resource = resourceOf(path);
        const records = accepted
          .filter((message) => message.resource === resource && message.to === query.get('To'))
          .reverse()
          .map((message) => ({
            sid: message.id,
            to: message.to,
            from: query.get('From'),
            status: 'queued',
            date_created: message.createdAt.toUTCString(),
            ...(resource === 'Messages' ? { body: message.text } : { start_time: null }),
          }));
        return resource === 'Messages' ? { messages: records } : { calls: records };
      },
    },
    options,
  );
}

const resourceOf = (url: string | undefined) => (url?.includes('/Calls.json') ? 'Calls' : 'Messages');

/**
 * Posts a webhook as Twilio does: form-encoded, signed with X-Twilio-Signature — HMAC-SHA1,
 * keyed with the auth token, of the full URL followed by each parameter name and value in
 * name order; base64. Written here on its own (not with the code under test) so a mistake
 * in one does not hide in the other.
 */
export async function postAsTwilio(
  url: string,
  webhook: { authToken: string; params: Record<string, string>; signature?: string },
): Promise<Response> {
  const names = Object.keys(webhook.params).sort();
  const signed = url + names.map((name) => name + webhook.params[name]).join('');
  const signature =
    webhook.signature ?? createHmac('sha1', webhook.authToken).update(signed).digest('base64');
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(webhook.params),
  });
}

/** The platform's settings for sending SMS through this account at the local server's `url`. */
export function twilioEnv(
  account: TwilioAccount,
  url: string,
  from = '+15550000000',
): Record<string, string> {
  return {
    SMS_PROVIDER: 'twilio',
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    TWILIO_FROM: from,
    TWILIO_API_URL: url,
  };
}
