import nodemailer, { type Transporter } from 'nodemailer';
import type { ChannelAdapter, OutboundMessage, SendResult } from './channel.ts';

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  timeoutMs: number;
}

/** nodemailer's codes for a relay never reached (nothing can have been sent). */
const NEVER_CONNECTED = new Set(['ECONNECTION', 'EDNS']);

/** SMTP connections kept open to the relay (nodemailer's pool; each sends one message at a time). */
const POOLED_CONNECTIONS = 8;

/**
 * E-mail over SMTP with nodemailer. The Message-ID is derived from our idempotency key: a
 * resend after a crash carries the same Message-ID, which mail systems use to drop duplicates.
 * SMTP reply codes classify failures: 5xx is permanent, 4xx and connection trouble transient.
 * Connections are pooled: a message goes over an open connection instead of its own connect,
 * greeting and EHLO (the outreach bench: about a third of the e-mail channel's CPU, on both ends).
 */
export function emailChannel(settings: EmailSettings): ChannelAdapter {
  const url = new URL(settings.smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: POOLED_CONNECTIONS,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // A local relay without TLS is allowed (tests, on-premises); STARTTLS is used when offered.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  return {
    provider: 'smtp',
    send: (message) => sendMail(transport, { settings, message }),
    close: async () => transport.close(),
  };
}

async function sendMail(
  transport: Transporter,
  { settings, message }: { settings: EmailSettings; message: OutboundMessage },
): Promise<SendResult> {
  const messageId = `<${message.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@throughline.outreach>`;
  try {
    await transport.sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject ?? 'A message from your clinic',
      text: message.text,
      messageId,
      headers: { 'X-Throughline-Idempotency-Key': message.idempotencyKey },
    });
    return { ok: true, providerId: messageId, state: 'sent' };
  } catch (error) {
    const {
      responseCode,
      code,
      message: text,
    } = error as {
      responseCode?: number;
      code?: string;
      message: string;
    };
    const permanent = responseCode !== undefined && responseCode >= 500;
    // No reply code and not a failed connect: the relay may have taken the mail before it went quiet.
    const unknown = responseCode === undefined && !NEVER_CONNECTED.has(code ?? '');
    return {
      ok: false,
      kind: permanent ? 'permanent' : 'transient',
      reason: `SMTP: ${text}`,
      ...(unknown ? { outcome: 'unknown' as const } : {}),
    };
  }
}
