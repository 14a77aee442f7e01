import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server in-process; every message parsed as it arrives. */
export interface SmtpSink {
  port: number;
  /** `SMTP_URL` for the platform: plain SMTP on loopback. */
  url: string;
  mails: ParsedMail[];
  /** The first mail (arrived or arriving within `timeoutMs`) that `matches`. */
  waitFor(matches: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/**
 * `lateMs`: the sink keeps each mail but answers the end of its DATA only this long after (a
 * relay that took the message and went quiet: the sender's timeout cannot tell).
 */
export async function startSmtpSink(options: { lateMs?: number } = {}): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const answer = () => setTimeout(callback, options.lateMs ?? 0);
      simpleParser(stream).then((mail) => (mails.push(mail), answer()), callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?tls=off`,
    mails,
    async waitFor(matches, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const mail = mails.find(matches);
        if (mail) return mail;
        if (Date.now() > until) throw new Error(`no matching mail within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Who a parsed mail was sent to (the first address). */
export function recipientOf(mail: ParsedMail): string | undefined {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address;
}
