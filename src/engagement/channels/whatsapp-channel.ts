import type { ChannelAdapter, OutboundMessage } from './channel.ts';
import { callProvider } from './http-send.ts';

export interface WhatsappSettings {
  token: string;
  phoneNumberId: string;
  /** Base URL with the Graph API version (`https://graph.facebook.com/v21.0` or a local one). */
  apiUrl: string;
  timeoutMs: number;
}

/**
 * WhatsApp through a Cloud-API-compatible endpoint (`POST {phone number id}/messages`, bearer
 * token): free text inside the 24-hour service window, the approved template outside it (the
 * engine decides which and passes `template`). The Cloud API does not deduplicate and has no
 * endpoint to look a sent message up, so a send whose answer was lost is never repeated: the
 * status webhook, which carries our key back in `biz_opaque_callback_data`, settles it.
 */
export function whatsappChannel(settings: WhatsappSettings): ChannelAdapter {
  const url = `${settings.apiUrl.replace(/\/$/, '')}/${encodeURIComponent(settings.phoneNumberId)}/messages`;
  return {
    provider: 'whatsapp-cloud',
    repeatIsNewMessage: true,
    send: (message) =>
      callProvider({
        url,
        init: {
          method: 'POST',
          headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(bodyOf(message)),
        },
        timeoutMs: settings.timeoutMs,
        idOf: (body) => (body as { messages?: { id?: string }[] } | undefined)?.messages?.[0]?.id,
        state: 'sent',
      }),
  };
}

function bodyOf(message: OutboundMessage): Record<string, unknown> {
  const to = message.to.replace(/^\+/, '');
  const common = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    biz_opaque_callback_data: message.idempotencyKey,
  };
  if (!message.template) return { ...common, type: 'text', text: { body: message.text } };
  const { name, language, parameters } = message.template;
  return {
    ...common,
    type: 'template',
    template: {
      name,
      language: { code: language },
      components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
    },
  };
}
