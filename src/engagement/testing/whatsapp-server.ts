import { createHmac, randomBytes } from 'node:crypto';
import { startProviderServer, type ProviderOptions, type ProviderServer } from './provider-server.ts';

/** A local server that speaks the WhatsApp Cloud API's `POST /{phone number id}/messages` (bearer token, `messages[0].id`). */
export async function startWhatsappServer(
  account: { token: string; phoneNumberId: string },
  options: ProviderOptions = {},
): Promise<ProviderServer> {
  return startProviderServer(
    {
      route: new RegExp(`^/${account.phoneNumberId}/messages$`),
      authorized: (request) => request.headers.authorization === `Bearer ${account.token}`,
      parse: (body) => {
        const json = JSON.parse(body) as {
          to: string;
          text?: { body: string };
          template?: { name: string };
          biz_opaque_callback_data?: string;
        };
        return {
          to: `+${json.to}`,
          text: json.text?.body ?? `template:${json.template?.name}`,
          idempotencyKey: json.biz_opaque_callback_data,
        };
      },
      newId: () => `wamid.${randomBytes(12).toString('hex')}`,
      answer: (message) => ({
        messaging_product: 'whatsapp',
        contacts: [{ wa_id: message.to.slice(1) }],
        messages: [{ id: message.id }],
      }),
      error: (status) => ({ error: { message: `status ${status}`, code: status } }),
    },
    options,
  );
}

/** Posts a webhook as Meta does: the JSON body signed with X-Hub-Signature-256 (sha256= hex HMAC-SHA256 of the raw body, keyed with the app secret). */
export async function postAsWhatsapp(
  url: string,
  webhook: { appSecret: string; body: unknown; signature?: string },
): Promise<Response> {
  const raw = JSON.stringify(webhook.body);
  const signature =
    webhook.signature ?? `sha256=${createHmac('sha256', webhook.appSecret).update(raw).digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body: raw,
  });
}
