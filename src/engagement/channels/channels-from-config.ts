import type { Config } from '../../kernel/config.ts';
import type { SqlExecutor } from '../../store/index.ts';
import type { ChannelAdapter, ChannelAdapters } from './channel.ts';
import { emailChannel } from './email-channel.ts';
import { outboxChannel } from './outbox-channel.ts';
import { twilioChannel } from './twilio-channel.ts';
import { whatsappChannel } from './whatsapp-channel.ts';

/**
 * The adapter of each channel as configured: SMTP when `SMTP_URL` is set, Twilio-compatible
 * SMS and voice with `SMS_PROVIDER=twilio`, WhatsApp Cloud-compatible with its four settings —
 * and the local outbox for every channel that has no provider, so nothing needs installing.
 */
export function channelsFromConfig(config: Config, db: SqlExecutor): ChannelAdapters {
  const outbox = outboxChannel(db);
  const timeoutMs = config.providerTimeoutSeconds * 1000;
  const email: ChannelAdapter = config.smtpUrl
    ? emailChannel({ smtpUrl: config.smtpUrl, from: config.smtpFrom, timeoutMs })
    : outbox;
  const twilio =
    config.smsProvider === 'twilio'
      ? {
          accountSid: config.twilioAccountSid!,
          authToken: config.twilioAuthToken!,
          from: config.twilioFrom!,
          apiUrl: config.twilioApiUrl,
          statusCallback: `${config.baseUrl}/webhooks/twilio/status`,
          timeoutMs,
        }
      : undefined;
  const whatsapp =
    config.whatsappToken && config.whatsappPhoneNumberId
      ? whatsappChannel({
          token: config.whatsappToken,
          phoneNumberId: config.whatsappPhoneNumberId,
          apiUrl: config.whatsappApiUrl,
          timeoutMs,
        })
      : outbox;
  return {
    email,
    sms: twilio ? twilioChannel(twilio, 'sms') : outbox,
    voice: twilio ? twilioChannel(twilio, 'voice') : outbox,
    whatsapp,
  };
}

/** Closes what holds connections (the SMTP transport pool). */
export async function closeChannels(channels: ChannelAdapters): Promise<void> {
  for (const adapter of new Set(Object.values(channels))) await adapter.close?.();
}
