import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, CommunicationRequest, Task } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { PROVIDER_MESSAGE_SYSTEM, PURPOSE_SYSTEM, twilioSignature } from '../engagement/index.ts';
import { channelConsent } from '../engagement/testing/channel-consent.ts';
import type { AcceptedMessage, ProviderServer } from '../engagement/testing/provider-server.ts';
import { postAsTwilio, startTwilioServer, twilioEnv } from '../engagement/testing/twilio-server.ts';
import { postAsWhatsapp, startWhatsappServer } from '../engagement/testing/whatsapp-server.ts';
import { recipientOf, startSmtpSink, type SmtpSink } from '../engagement/testing/smtp-sink.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { DELIVER_AT_ONCE_ENV } from './testing/outreach-env.ts';

const twilioAccount = { accountSid: 'AC00000000000000000000000000000016', authToken: 'twilio-test-token' };
const whatsappAccount = { token: 'wa-test-token', phoneNumberId: '1098716' };
const WA_SECRET = 'wa-app-secret';
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
  let whatsapp: ProviderServer;
  before(async () => {
    // Neither Twilio's API nor the WhatsApp Cloud API deduplicates on our key: every post is a new message.
    twilio = await startTwilioServer(twilioAccount, { deduplicates: false, lateMs: LATE_MS });
    whatsapp = await startWhatsappServer(whatsappAccount, { deduplicates: false, lateMs: LATE_MS });
    smtp = await startSmtpSink({ lateMs: LATE_MS });
    platform = await startTestPlatform(pgliteBackend, {
      ...twilioEnv(twilioAccount, twilio.url),
      WHATSAPP_TOKEN: whatsappAccount.token,
      WHATSAPP_PHONE_NUMBER_ID: whatsappAccount.phoneNumberId,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'wa-verify',
      WHATSAPP_API_URL: whatsapp.url,
      SMTP_URL: smtp.url,
      ...DELIVER_AT_ONCE_ENV,
      PROVIDER_TIMEOUT_SECONDS: '1',
      LOG_LEVEL: process.env.ENGAGEMENT_TEST_LOG,
    });
  });
  after(async () => {
    await platform.stop();
    await Promise.all([twilio.close(), whatsapp.close(), smtp.close()]);
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
  const sentTo = (provider: ProviderServer, to: string, resource?: string) =>
    provider.accepted.filter((m) => m.to === to && (!resource || m.resource === resource));
  const providerIdOf = (attempt: Communication | undefined) =>
    attempt?.identifier?.find((i) => i.system === PROVIDER_MESSAGE_SYSTEM)?.value;
  /** The request is held as "may have been sent", its one attempt still open. */
  const heldOpen = async (id: string) => {
    const held = await read<CommunicationRequest>(`CommunicationRequest/${id}`);
    assert.equal(held.status, 'on-hold');
    assert.match(held.statusReason?.text ?? '', /may have been sent/);
    const [attempt, ...others] = await attemptsOf(id);
    assert.equal(others.length, 0, 'one attempt: no other channel was tried');
    assert.equal(attempt?.status, 'in-progress', 'not recorded as failed: it may have gone');
    return attempt!;
  };
  /** Meta's status webhook for a message we sent, echoing our key as `biz_opaque_callback_data`. */
  const whatsappStatus = (report: { message: AcceptedMessage; status: string }) =>
    postAsWhatsapp(`${platform.url}/webhooks/whatsapp`, {
      appSecret: WA_SECRET,
      body: {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'WABA',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  statuses: [
                    {
                      id: report.message.id,
                      status: report.status,
                      timestamp: '1',
                      recipient_id: report.message.to.slice(1),
                      biz_opaque_callback_data: report.message.idempotencyKey,
                      ...(report.status === 'failed'
                        ? { errors: [{ code: 131026, title: 'Message undeliverable' }] }
                        : {}),
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    });
  /** A patient who consented to WhatsApp, sent a request the Cloud API answers too late. */
  const lateWhatsapp = async (family: string) => {
    const patient = await newPatient(family, 'sms-first');
    await platform.create(
      channelConsent({
        patient: patient.id,
        permit: true,
        mode: 'WHATSAPP',
        dateTime: new Date().toISOString(),
      }),
    );
    whatsapp.script(patient.mobile, ['late']);
    const id = await request(patient.id, 'WHATSAPP');
    await platform.worker.drain();
    return { patient, id };
  };
  /** The request completed by the report, and its dead-letter alert closed. */
  const settledAsSent = async (id: string, providerId: string) => {
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${id}`)).status, 'completed');
    const [attempt] = await attemptsOf(id);
    assert.equal(providerIdOf(attempt), providerId, 'the attempt carries the message the provider reported');
    const tasks = await read<Bundle>(`Task?focus=CommunicationRequest/${id}`);
    assert.equal((tasks.entry?.[0]?.resource as Task).status, 'completed', 'the alert is closed');
  };

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
    await heldOpen(id);
    const tasks = await read<Bundle>(`Task?focus=CommunicationRequest/${id}`);
    assert.match((tasks.entry?.[0]?.resource as Task).description ?? '', /may have been sent/);
  });

  test('a call the provider placed but answered too late is found in Calls.json, not placed again', async () => {
    const patient = await newPatient('Varga', 'sms-first');
    twilio.script(patient.mobile, ['late']);
    const id = await request(patient.id, 'PHONE');
    await platform.worker.drain();
    const calls = sentTo(twilio, patient.mobile, 'Calls');
    assert.equal(calls.length, 1, 'one call: the retry found the first at the provider');
    assert.equal(sentTo(twilio, patient.mobile, 'Messages').length, 0, 'and no SMS on top');
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${id}`)).status, 'completed');
    const [attempt] = await attemptsOf(id);
    assert.equal(providerIdOf(attempt), calls[0]!.id);
    assert.equal(
      calls[0]!.statusCallback,
      `${platform.url}/webhooks/twilio/status?attempt=${attempt!.id}`,
      'the status callback names the attempt',
    );
  });

  test('a WhatsApp message with no answer is never sent again; its status webhook settles it', async () => {
    const { patient, id } = await lateWhatsapp('Okafor');
    const sent = sentTo(whatsapp, patient.mobile);
    assert.equal(
      sent.length,
      1,
      'one message: the Cloud API cannot be asked, so it is not sent blindly again',
    );
    assert.equal(sentTo(twilio, patient.mobile).length, 0, 'and no SMS: the WhatsApp may have reached her');
    await heldOpen(id);
    const report = await whatsappStatus({ message: sent[0]!, status: 'delivered' });
    assert.equal(report.status, 200);
    await settledAsSent(id, sent[0]!.id);
  });

  test('a failure reported for a WhatsApp message that may have gone: the next channel is tried', async () => {
    const { patient, id } = await lateWhatsapp('Nakamura');
    await heldOpen(id);
    assert.equal(sentTo(twilio, patient.mobile).length, 0);
    const [sent] = sentTo(whatsapp, patient.mobile);
    assert.equal((await whatsappStatus({ message: sent!, status: 'failed' })).status, 200);
    await platform.worker.drain();
    assert.equal(sentTo(twilio, patient.mobile, 'Messages').length, 1, 'the SMS goes: the WhatsApp did not');
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${id}`)).status, 'completed');
    const attempts = await attemptsOf(id);
    const whatsappAttempt = attempts.find((a) => a.medium?.[0]?.coding?.[0]?.code === 'WHATSAPP');
    assert.equal(whatsappAttempt?.status, 'not-done');
    assert.match(whatsappAttempt?.statusReason?.text ?? '', /Message undeliverable/);
  });

  test("Twilio's status callback names the attempt: it settles one whose send answer was lost", async () => {
    const patient = await newPatient('Brandt', 'sms-first');
    twilio.script(patient.mobile, ['hang', 'hang', 'hang']);
    const id = await request(patient.id, 'SMSWRIT');
    await platform.worker.drain();
    const attempt = await heldOpen(id);
    const callback = `${platform.url}/webhooks/twilio/status?attempt=${attempt.id}`;
    const params = {
      MessageSid: 'SMlost0000000000000000000000016',
      MessageStatus: 'sent',
      To: patient.mobile,
    };
    // Twilio signs the full URL, query included: a signature over the bare path is refused.
    const unsigned = twilioSignature(twilioAccount.authToken, `${platform.url}/webhooks/twilio/status`, [
      ...Object.entries(params),
    ]);
    const refused = await postAsTwilio(callback, {
      authToken: twilioAccount.authToken,
      params,
      signature: unsigned,
    });
    assert.equal(refused.status, 403);
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${id}`)).status, 'on-hold');
    const report = await postAsTwilio(callback, { authToken: twilioAccount.authToken, params });
    assert.equal(report.status, 200);
    await settledAsSent(id, params.MessageSid);
  });
});
