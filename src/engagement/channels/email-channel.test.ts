import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { startSmtpSink, recipientOf } from '../testing/smtp-sink.ts';
import { closeChannels } from './channels-from-config.ts';
import { emailChannel } from './email-channel.ts';
import { isPlainMail, plainSender } from './plain-mail.ts';

/** What a recipient sees of a mail, as mailparser reads it. */
function seen(mail: ParsedMail) {
  const from = mail.from?.value[0];
  return {
    from: `${from?.name} <${from?.address}>`,
    to: recipientOf(mail),
    subject: mail.subject,
    text: mail.text?.replace(/\n$/, ''),
    messageId: mail.messageId,
    key: mail.headers.get('x-throughline-idempotency-key'),
  };
}

const texts = {
  ascii: 'Reminder: your appointment is tomorrow at 09:30.\n.A line that starts with a dot\n.\nthe end',
  long: `A long line ${'of plain words '.repeat(12)}that a relay would want folded.`,
  accented: 'Recordatorio: su cita es mañana a las 09:30 — responda C para confirmar. ✓',
};

// The fast path (the mail composed in plain-mail.ts) and nodemailer's composer (an accented
// subject, which the fast path leaves to it) must deliver the same mail, dots, accents and all.
test('e-mails arrive as written, composed here or by nodemailer', async () => {
  const sink = await startSmtpSink();
  const channel = emailChannel({
    smtpUrl: sink.url,
    from: '"Riverside, Family Practice" <outreach@riverside.example>',
    timeoutMs: 5_000,
  });
  try {
    for (const [name, text] of Object.entries(texts))
      for (const [at, subject] of [
        'Riverside: appointment reminder',
        'Clínica Riverside: recordatorio',
      ].entries()) {
        const key = `request-${name}-${at}/email`;
        const sent = await channel.send({
          channel: 'email',
          to: 'maya@example.org',
          subject,
          text,
          idempotencyKey: key,
        });
        assert.equal(sent.ok, true, `${name}: ${JSON.stringify(sent)}`);
        const mail = await sink.waitFor((m) => m.headers.get('x-throughline-idempotency-key') === key);
        assert.deepEqual(seen(mail), {
          from: 'Riverside, Family Practice <outreach@riverside.example>',
          to: 'maya@example.org',
          subject,
          text,
          messageId: `<request-${name}-${at}.email@throughline.outreach>`,
          key,
        });
      }
  } finally {
    await closeChannels({ email: channel, sms: channel, whatsapp: channel, voice: channel });
    await sink.close();
  }
});

test('only plain ASCII headers take the fast path; a header cannot be injected', () => {
  const mail = { to: 'maya@example.org', subject: 'Reminder', text: 'ü', messageId: '<a@b>', headers: {} };
  assert.equal(isPlainMail(mail), true);
  assert.equal(isPlainMail({ ...mail, subject: 'Réminder' }), false);
  assert.equal(isPlainMail({ ...mail, subject: 'Reminder\r\nBcc: eve@example.org' }), false);
  assert.equal(isPlainMail({ ...mail, to: 'maya@example.org\r\nBcc: eve@example.org' }), false);
  assert.equal(isPlainMail({ ...mail, to: 'Maya <maya@example.org>' }), false);
  assert.deepEqual(plainSender('outreach@clinic.example'), {
    header: 'outreach@clinic.example',
    address: 'outreach@clinic.example',
  });
  assert.equal(plainSender('Clínica <outreach@clinic.example>'), undefined);
  assert.equal(plainSender('a@clinic.example, b@clinic.example'), undefined);
});
