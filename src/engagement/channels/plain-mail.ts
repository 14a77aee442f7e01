import { Readable } from 'node:stream';
import addressparser from 'nodemailer/lib/addressparser';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import { encode as quotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp';

/** What a plain outreach e-mail says: one text part, no attachments, a bare address each way. */
export interface PlainMail {
  from: PlainSender;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** Extra headers (ASCII names and values). */
  headers: Record<string, string>;
  date: Date;
}

/** A bare address of printable ASCII (no display name, no IDN): what the fast path can write as is. */
const BARE_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** A header value the fast path writes unencoded: printable ASCII, on one line. */
const PLAIN_HEADER = /^[\x20-\x7e]{0,900}$/;

/** The sender as the fast path writes it: the From header and the envelope's address. */
export interface PlainSender {
  header: string;
  address: string;
}

/**
 * The configured sender (`SMTP_FROM`, e.g. `Clinic <outreach@clinic.example>`) when one plain
 * ASCII address with an ASCII name at most; undefined leaves every e-mail to nodemailer.
 */
export function plainSender(from: string): PlainSender | undefined {
  const parsed = addressparser(from, { flatten: true });
  const [sender] = parsed;
  if (parsed.length !== 1 || !sender || !BARE_ADDRESS.test(sender.address)) return undefined;
  if (!sender.name) return { header: sender.address, address: sender.address };
  if (!PLAIN_HEADER.test(sender.name)) return undefined;
  return {
    header: `"${sender.name.replace(/["\\]/g, '\\$&')}" <${sender.address}>`,
    address: sender.address,
  };
}

/**
 * Whether `mail` can be written by `plainMailMessage` (every header plain ASCII); anything else
 * (an accented subject, an internationalized address) is composed by nodemailer.
 */
export function isPlainMail(mail: Omit<PlainMail, 'date' | 'from'>): boolean {
  return (
    BARE_ADDRESS.test(mail.to) &&
    PLAIN_HEADER.test(mail.subject) &&
    PLAIN_HEADER.test(mail.messageId) &&
    Object.entries(mail.headers).every(
      ([name, value]) => /^[A-Za-z0-9-]+$/.test(name) && PLAIN_HEADER.test(value),
    )
  );
}

/**
 * The RFC 5322 message of a plain e-mail: a single `text/plain; charset=utf-8` part, 7bit when
 * the text is short-lined ASCII, else quoted-printable (nodemailer's encoder). The SMTP
 * connection dot-stuffs it. Composing it here instead of through nodemailer's MIME tree costs
 * about a fifth of the CPU (the outreach bench: 0.3 ms less per e-mail, docs/benchmarks.md).
 */
export function plainMailMessage(mail: PlainMail): Buffer {
  const text = mail.text.replace(/\r?\n/g, '\n');
  // Sent as it is when ASCII in lines of at most 76 characters (as nodemailer decides).
  const sevenBit =
    /^[\x00-\x0c\x0e-\x7f]*$/.test(text) && text.split('\n').every((line) => line.length <= 76);
  const body = sevenBit ? text : wrapQuotedPrintable(quotedPrintable(text), 76);
  const headers = [
    `From: ${mail.from.header}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject}`,
    `Message-ID: ${mail.messageId}`,
    ...Object.entries(mail.headers).map(([name, value]) => `${name}: ${value}`),
    `Date: ${mail.date.toUTCString().replace(/GMT$/, '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Transfer-Encoding: ${sevenBit ? '7bit' : 'quoted-printable'}`,
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`);
}

/**
 * A composed message in the shape an SMTP transport's `send(mail, callback)` reads (the
 * transport API of nodemailer: `mail.data`, and of `mail.message` the envelope, the Message-ID
 * and the stream). Handing it to the pool skips nodemailer's message assembly and MIME tree, and
 * keeps its pooling, reconnects and requeueing of a message no byte of which was sent.
 */
export function preparedMail(mail: PlainMail): MailMessage {
  const raw = plainMailMessage(mail);
  const message = {
    getEnvelope: () => ({ from: mail.from.address, to: [mail.to] }),
    messageId: () => mail.messageId,
    getHeader: (name: string) => (name.toLowerCase() === 'message-id' ? mail.messageId : undefined),
    createReadStream: () => Readable.from([raw]),
  };
  return { data: {}, message } as unknown as MailMessage;
}
