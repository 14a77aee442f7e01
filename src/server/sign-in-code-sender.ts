import { randomUUID } from 'node:crypto';
import type { SendSignInCode, SignInCodeMessage } from '../access/index.ts';
import type { ChannelAdapters } from '../engagement/index.ts';
import type { Config } from '../kernel/config.ts';

/**
 * Access's `SendSignInCode` port on engagement's channel adapters: SMTP for email, the
 * Twilio-compatible API for SMS. Consent and quiet hours do not apply — she asked for it this
 * minute — and nothing is written to her record: a code is not outreach.
 *
 * The local outbox keeps what it "sends" for staff to read (`/api/engagement/outbox`), so codes
 * go there only on the embedded database (development, the demo); with server PostgreSQL and no
 * provider for the channel the code is not sent, and the audit record says why.
 */
export function signInCodeSender(deps: { channels: ChannelAdapters; config: Config }): SendSignInCode {
  const { channels, config } = deps;
  return async (message) => {
    const adapter = channels[message.channel];
    if (adapter.provider === 'outbox' && config.databaseUrl)
      return {
        ok: false,
        reason: `no ${message.channel} provider configured: codes are never kept in the outbox`,
      };
    const result = await adapter.send({
      channel: message.channel,
      to: message.to,
      subject: `Your sign-in code for ${config.clinicName}`,
      text: codeText(message, config),
      // A code is sent once; a retry would be a new request with a new code.
      idempotencyKey: `sign-in-code/${randomUUID()}`,
    });
    return result.ok ? { ok: true } : { ok: false, reason: result.reason };
  };
}

/**
 * The code first (what a phone's notification shows). SMS ends with the WebOTP line
 * (`@host #code`, WICG WebOTP: the host without the port), so the portal's browser can offer
 * to fill the code in — and only on the portal's own host.
 */
function codeText(message: SignInCodeMessage, config: Config): string {
  const text =
    `${message.code} is your ${config.clinicName} portal sign-in code. It expires in ` +
    `${message.expiresInMinutes} minutes. If you did not ask for it, ignore this message; ` +
    `the clinic will never ask you for it.`;
  if (message.channel !== 'sms') return text;
  return `${text}\n\n@${new URL(config.baseUrl).hostname} #${message.code}`;
}
