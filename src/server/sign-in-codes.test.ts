import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSmtpSink, recipientOf, type SmtpSink } from '../engagement/testing/smtp-sink.ts';
import { startTwilioServer, twilioEnv } from '../engagement/testing/twilio-server.ts';
import type { ProviderServer } from '../engagement/testing/provider-server.ts';
import { describeEachBackend, pgliteBackend, type TestBackend } from '../store/testing/backends.ts';
import { suiteFixture } from '../store/testing/suite-fixture.ts';
import { addStaffUser } from './testing/auth-flows.ts';
import {
  addPatientAccount,
  codeIn,
  codeRequestAudit,
  postCode,
  type CodeAnswer,
} from './testing/sign-in-code-flows.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const twilioAccount = { accountSid: 'AC00112233445566778899aabbccddeeff', authToken: 'code-test-token' };

/** The platform with a real SMTP server and the Twilio-compatible fake as its providers. */
async function openCodeWorld(backend: TestBackend) {
  const [smtp, twilio] = await Promise.all([startSmtpSink(), startTwilioServer(twilioAccount)]);
  const platform = await startTestPlatform(backend, {
    SMTP_URL: smtp.url,
    ...twilioEnv(twilioAccount, twilio.url),
    SIGN_IN_CODE_VERIFIES_PER_IDENTIFIER: '8',
    SIGN_IN_CODE_ATTEMPTS_PER_ADDRESS: '100000',
  });
  return { smtp, twilio, platform };
}

describeEachBackend('patient sign-in by a one-time code', (backend) => {
  const world = suiteFixture(
    () => openCodeWorld(backend),
    async ({ smtp, twilio, platform }) => {
      await platform.stop();
      await Promise.all([smtp.close(), twilio.close()]);
    },
  );
  const platform = (): TestPlatform => world.platform;
  const smtp = (): SmtpSink => world.smtp;
  const twilio = (): ProviderServer => world.twilio;

  const ask = (identifier: string) => postCode(platform(), { step: 'request', body: { identifier } });
  const verify = (identifier: string, code: string) =>
    postCode(platform(), { step: 'verify', body: { identifier, code } });
  /** Asks for a code by email and reads it from the SMTP server. */
  const emailedCode = async (email: string): Promise<string> => {
    const before = smtp().mails.length;
    const answer = await ask(email);
    assert.equal(answer.status, 202);
    const mail = await smtp().waitFor((m) => smtp().mails.indexOf(m) >= before && recipientOf(m) === email);
    return codeIn(mail.text);
  };

  test('a code by email signs her in: the same tokens as a password, her own record opens', async () => {
    const maya = await addPatientAccount(platform());
    const requested = await ask(maya.email);
    assert.equal(requested.status, 202);
    assert.equal(requested.headers['cache-control'], 'no-store');
    const mail = await smtp().waitFor((m) => recipientOf(m) === maya.email);
    assert.match(mail.subject ?? '', /sign-in code/);
    const signedIn = await verify(maya.email, codeIn(mail.text));
    assert.equal(signedIn.status, 200);
    const token = signedIn.body.access_token as string;
    assert.equal(signedIn.body.token_type, 'Bearer');
    assert.ok(signedIn.body.session, 'the session limits, as after a password');
    assert.match(String(signedIn.headers['set-cookie']), /throughline_session=.*HttpOnly/);
    const claims = JSON.parse(atob(token.split('.')[1]!)) as { patient: string; sid: string };
    assert.equal(claims.patient, maya.patient);
    assert.ok(claims.sid, 'bound to a server-side session');
    const own = await platform().fetch(`/fhir/Patient/${maya.patient}`, { token });
    assert.equal(own.status, 200);
    const audit = await codeRequestAudit(platform(), requested.headers['x-request-id'] as string);
    assert.equal(audit.outcome, 'success');
    assert.match(audit.detail, /^code sent by email to account /);
    const login = await platform().db.query<{ principal: string; outcome: string; detail: string }>(
      `SELECT principal, outcome, detail FROM audit_log WHERE request_id = $1 AND action = 'login'`,
      [signedIn.headers['x-request-id']],
    );
    assert.deepEqual(
      login.rows.map((row) => [row.outcome, row.detail]),
      [['success', 'one-time code (email)']],
    );
    assert.notEqual(login.rows[0]!.principal, 'anonymous');
  });

  test('a code by SMS goes to her mobile in E.164, whatever punctuation she typed', async () => {
    const pat = await addPatientAccount(platform());
    const typed = `${pat.phone.slice(0, 2)} (${pat.phone.slice(2, 5)}) ${pat.phone.slice(5, 8)}-${pat.phone.slice(8)}`;
    assert.equal((await ask(typed)).status, 202);
    let sms = twilio().accepted.find((m) => m.to === pat.phone);
    // The code goes out after the 202 (in the background); the bound only guards against a hang:
    // at load 40 the send alone can take seconds.
    for (let polls = 0; !sms && polls < 3000; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sms = twilio().accepted.find((m) => m.to === pat.phone);
    }
    assert.ok(sms, 'sent through the Twilio-compatible API');
    const host = new URL(platform().url).hostname;
    assert.ok(sms.text.endsWith(`\n\n@${host} #${codeIn(sms.text)}`), 'ends with the WebOTP line');
    const signedIn = await verify(pat.phone, codeIn(sms.text));
    assert.equal(signedIn.status, 200);
  });

  test('a wrong code is refused and audited; the right one still works after it', async () => {
    const pat = await addPatientAccount(platform());
    const code = await emailedCode(pat.email);
    const wrong = await verify(pat.email, code === '000000' ? '111111' : '000000');
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'invalid_grant', error_description: 'Invalid or expired code' });
    // Not `Basic`: a browser would answer that with its own password dialog, and the page hang.
    assert.equal(wrong.headers['www-authenticate'], 'Form realm="throughline"');
    const failed = await platform().db.query<{ outcome: string; detail: string; principal: string }>(
      `SELECT outcome, detail, principal FROM audit_log WHERE request_id = $1 AND action = 'login'`,
      [wrong.headers['x-request-id']],
    );
    assert.deepEqual(failed.rows, [
      { outcome: 'failure', detail: 'one-time code (email)', principal: 'anonymous' },
    ]);
    assert.equal((await verify(pat.email, code)).status, 200);
  });

  test('a code is single-use, and expires after ten minutes', async () => {
    const pat = await addPatientAccount(platform());
    const code = await emailedCode(pat.email);
    assert.equal((await verify(pat.email, code)).status, 200);
    assert.equal((await verify(pat.email, code)).status, 401, 'spent');
    const late = await emailedCode(pat.email);
    await platform().db.query(
      `UPDATE sign_in_code SET expires_at = now() - interval '1 second'
       WHERE user_id = (SELECT id FROM staff_user WHERE email = $1)`,
      [pat.email],
    );
    assert.equal((await verify(pat.email, late)).status, 401, 'expired');
  });

  test('five guesses void a code: the right one is refused after them', async () => {
    const pat = await addPatientAccount(platform());
    const code = await emailedCode(pat.email);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let guess = 0; guess < 5; guess++) assert.equal((await verify(pat.email, wrongCode)).status, 401);
    assert.equal((await verify(pat.email, code)).status, 401);
  });

  test('a new request voids the code before it', async () => {
    const pat = await addPatientAccount(platform());
    const first = await emailedCode(pat.email);
    const second = await emailedCode(pat.email);
    if (first !== second) assert.equal((await verify(pat.email, first)).status, 401);
    assert.equal((await verify(pat.email, second)).status, 200);
  });

  test('an unknown identifier, or a staff account, gets the same answer, and nothing is sent', async () => {
    const pat = await addPatientAccount(platform());
    await addStaffUser(platform(), 'staff-code@test.clinic');
    const known = await ask(pat.email);
    const mailsBefore = smtp().mails.length;
    const smsBefore = twilio().accepted.length;
    for (const identifier of ['nobody@example.test', 'staff-code@test.clinic', '+15550009999']) {
      const answer = await ask(identifier);
      assert.equal(answer.status, known.status);
      assert.deepEqual(answer.body, known.body);
      const shape = (headers: CodeAnswer['headers']) =>
        Object.keys(headers)
          .filter((name) => !['date', 'x-request-id', 'content-length'].includes(name))
          .sort();
      assert.deepEqual(shape(answer.headers), shape(known.headers));
      const audit = await codeRequestAudit(platform(), answer.headers['x-request-id'] as string);
      assert.equal(audit.outcome, 'failure');
      assert.match(audit.detail, /^no code sent: no account may sign in by code/);
      const refused = await verify(identifier, '123456');
      assert.deepEqual(
        [refused.status, refused.body],
        [401, { error: 'invalid_grant', error_description: 'Invalid or expired code' }],
      );
    }
    await codeRequestAudit(platform(), known.headers['x-request-id'] as string);
    assert.equal(
      smtp()
        .mails.slice(mailsBefore)
        .filter((m) => recipientOf(m) !== pat.email).length,
      0,
    );
    assert.equal(twilio().accepted.length, smsBefore);
  });

  test('bad input is a 400 naming the field, before anything is looked up', async () => {
    const badIdentifier = await ask('call me maybe');
    assert.equal(badIdentifier.status, 400);
    assert.equal(badIdentifier.body.resourceType, 'OperationOutcome');
    assert.match(JSON.stringify(badIdentifier.body), /"expression":\["identifier"\]/);
    const badCode = await verify('someone@example.test', '12ab');
    assert.equal(badCode.status, 400);
    assert.match(JSON.stringify(badCode.body), /"expression":\["code"\]/);
  });
});

// The limits live in the process, not the database: one backend is enough.
describe('sign-in code limits: 429 with Retry-After, per identifier and per address', () => {
  const platform = suiteFixture(
    () =>
      startTestPlatform(pgliteBackend, {
        SIGN_IN_CODE_REQUESTS_PER_IDENTIFIER: '3',
        SIGN_IN_CODE_VERIFIES_PER_IDENTIFIER: '4',
        SIGN_IN_CODE_ATTEMPTS_PER_ADDRESS: '12',
      }),
    (opened) => opened.stop(),
  );
  const ask = (identifier: string, from?: string) =>
    postCode(platform, { step: 'request', body: { identifier }, from });
  const verify = (identifier: string, from?: string) =>
    postCode(platform, { step: 'verify', body: { identifier, code: '123456' }, from });

  test('requests: three per identifier from any address; a known one and an unknown one alike', async () => {
    const pat = await addPatientAccount(platform);
    for (const identifier of [pat.email, 'nobody-limit@example.test']) {
      for (let n = 0; n < 3; n++) assert.equal((await ask(identifier, '127.0.0.2')).status, 202);
      const limited = await ask(identifier, '127.0.0.3');
      assert.equal(limited.status, 429, 'another address does not help');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal(limited.body.error, 'temporarily_unavailable');
    }
  });

  test('verifies: four per identifier; then twelve from one address over every identifier', async () => {
    for (let n = 0; n < 4; n++) assert.equal((await verify('guess@example.test', '127.0.0.4')).status, 401);
    assert.equal((await verify('guess@example.test', '127.0.0.5')).status, 429);
    for (let n = 0; n < 12; n++)
      assert.equal((await verify(`spray-${n}@example.test`, '127.0.0.6')).status, 401);
    const limited = await ask('spray-last@example.test', '127.0.0.6');
    assert.equal(limited.status, 429, 'requests and verifies share the address budget');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await verify('spray-last@example.test', '127.0.0.7')).status, 401, 'other addresses go on');
  });
});
