import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, CommunicationRequest, Task } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { PROVIDER_MESSAGE_SYSTEM, PURPOSE_SYSTEM } from '../engagement/index.ts';
import type { ProviderServer } from '../engagement/testing/provider-server.ts';
import { startTwilioServer, twilioEnv } from '../engagement/testing/twilio-server.ts';
import { recipientOf, startSmtpSink, type SmtpSink } from '../engagement/testing/smtp-sink.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { DELIVER_AT_ONCE_ENV } from './testing/outreach-env.ts';

const twilioAccount = { accountSid: 'AC00000000000000000000000000000016', authToken: 'twilio-test-token' };
/** Longer than PROVIDER_TIMEOUT_SECONDS: the provider takes the message, the answer comes too late. */
const LATE_MS = 2500;

/**
 * A send whose answer never came (the provider may have taken the message) is not sent blindly
 * again and never falls over to another channel: the patient would get it twice. Deterministic:
 * the providers answer later than the platform waits, whatever the machine's load.
 */
describe('engagement: a send with an unknown outcome is never repeated', () => {
  let platform: TestPlatform;
  let twilio: ProviderServer;
  let smtp: SmtpSink;
  before(async () => {
    // Twilio's own API does not deduplicate on our key: every post is a new SMS.
    twilio = await startTwilioServer(twilioAccount, { deduplicates: false, lateMs: LATE_MS });
    smtp = await startSmtpSink({ lateMs: LATE_MS });
    platform = await startTestPlatform(pgliteBackend, {
      ...twilioEnv(twilioAccount, twilio.url),
      SMTP_URL: smtp.url,
      ...DELIVER_AT_ONCE_ENV,
      PROVIDER_TIMEOUT_SECONDS: '1',
      LOG_LEVEL: process.env.ENGAGEMENT_TEST_LOG,
    });
  });
  after(async () => {
    await platform.stop();
    await Promise.all([twilio.close(), smtp.close()]);
  });

  let phone = 0;
  const newPatient = async (family: string, telecom: 'sms-first' | 'email-first') => {
    const mobile = `+1555016${String(1000 + ++phone).slice(1)}`;
    const email = `${family.toLowerCase()}@example.test`;
    const id = await platform.create({
      resourceType: 'Patient',
      name: [{ family, given: ['Unknown'] }],
      birthDate: `1970-0${phone}-1${phone}`,
      telecom: [
        { system: 'phone', use: 'mobile', value: mobile, rank: telecom === 'sms-first' ? 1 : 2 },
        { system: 'email', value: email, rank: telecom === 'sms-first' ? 2 : 1 },
      ],
    } as { resourceType: string });
    return { id, mobile, email };
  };
  const request = (patient: string, medium: string) =>
    platform.create({
      resourceType: 'CommunicationRequest',
      status: 'active',
      category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'appointment-reminder' }] }],
      medium: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: medium }] },
      ],
      recipient: [{ reference: `Patient/${patient}` }],
      subject: { reference: `Patient/${patient}` },
      payload: [{ contentString: `Riverside: your appointment (${patient}).` }],
      occurrenceDateTime: new Date().toISOString(),
    } as { resourceType: string });
  const read = async <T>(path: string): Promise<T> =>
    (await (await platform.fetch(`/fhir/${path}`)).json()) as T;
  const attemptsOf = async (requestId: string) =>
    ((await read<Bundle>(`Communication?based-on=CommunicationRequest/${requestId}`)).entry ?? []).map(
      (e) => e.resource as Communication,
    );
  const mailsTo = (address: string) => smtp.mails.filter((mail) => recipientOf(mail) === address);

  test('an SMS the provider took but answered too late is found there, not sent again', async () => {
    const patient = await newPatient('Latimer', 'sms-first');
    twilio.script(patient.mobile, ['late']);
    const id = await request(patient.id, 'SMSWRIT');
    await platform.worker.drain();
    const sms = twilio.accepted.filter((m) => m.to === patient.mobile);
    assert.equal(sms.length, 1, 'one SMS: the retry found the first at the provider');
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${id}`)).status, 'completed');
    const [attempt] = await attemptsOf(id);
    const providerId = attempt?.identifier?.find((i) => i.system === PROVIDER_MESSAGE_SYSTEM)?.value;
    assert.equal(providerId, sms[0]!.id, 'the attempt carries the SMS that went');
    assert.equal(mailsTo(patient.email).length, 0, 'and no e-mail on top');
  });

  test('an e-mail that never got an answer is not followed by an SMS: on hold for a coordinator', async () => {
    const patient = await newPatient('Quillon', 'email-first');
    const id = await request(patient.id, 'EMAILWRIT');
    await platform.worker.drain();
    assert.ok(mailsTo(patient.email).length >= 1, 'the relay took the e-mail');
    assert.equal(
      twilio.accepted.filter((m) => m.to === patient.mobile).length,
      0,
      'no SMS: the e-mail may have reached her',
    );
    const held = await read<CommunicationRequest>(`CommunicationRequest/${id}`);
    assert.equal(held.status, 'on-hold');
    assert.match(held.statusReason?.text ?? '', /may have been sent/);
    const [attempt, ...others] = await attemptsOf(id);
    assert.equal(others.length, 0, 'one attempt, on e-mail');
    assert.equal(attempt?.status, 'in-progress', 'not recorded as failed: it may have gone');
    const tasks = await read<Bundle>(`Task?focus=CommunicationRequest/${id}`);
    assert.match((tasks.entry?.[0]?.resource as Task).description ?? '', /may have been sent/);
  });
});
