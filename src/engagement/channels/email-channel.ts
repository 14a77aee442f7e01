import nodemailer, { type Transporter } from 'nodemailer';
import type { ChannelAdapter, OutboundMessage, SendResult } from './channel.ts';
import { isPlainMail, plainSender, preparedMail, type PlainSender } from './plain-mail.ts';

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
  const sender = plainSender(settings.from);
  return {
    provider: 'smtp',
    send: (message) => sendMail(transport, { settings, sender, message }),
    close: async () => transport.close(),
  };
}

/** One e-mail: the channel's settings, its sender when plain (`plain-mail.ts`), the message. */
interface MailSend {
  settings: EmailSettings;
  sender?: PlainSender;
  message: OutboundMessage;
}

async function sendMail(
  transport: Transporter,
  { settings, sender, message }: MailSend,
): Promise<SendResult> {
  const messageId = `<${message.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@throughline.outreach>`;
  const mail = {
    to: message.to,
    subject: message.subject ?? 'A message from your clinic',
    text: message.text,
    messageId,
    headers: { 'X-Throughline-Idempotency-Key': message.idempotencyKey },
  };
  try {
    // A plain e-mail (nearly all: ASCII headers, one text part) is composed here and handed to
    // the pool as it is; anything else goes through nodemailer's composer.
    if (sender && isPlainMail(mail))
      await sendPrepared(transport, { ...mail, from: sender, date: new Date() });
    else await transport.sendMail({ ...mail, from: settings.from });
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

/** A composed message through the transport's pool (its connections, reconnects and requeueing). */
function sendPrepared(transport: Transporter, mail: Parameters<typeof preparedMail>[0]): Promise<void> {
  return new Promise((resolve, reject) =>
    transport.transporter.send(preparedMail(mail), (error) => (error ? reject(error) : resolve())),
  );
}
