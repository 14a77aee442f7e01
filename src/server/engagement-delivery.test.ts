import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Appointment,
  Bundle,
  Communication,
  CommunicationRequest,
  OperationOutcome,
  Task,
} from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { listDeadJobs } from '../store/index.ts';
import { DELIVERY_STATE_URL, PURPOSE_SYSTEM } from '../engagement/index.ts';
import type { ProviderServer } from '../engagement/testing/provider-server.ts';
import { postAsTwilio, startTwilioServer, twilioEnv } from '../engagement/testing/twilio-server.ts';
import { postAsWhatsapp, startWhatsappServer } from '../engagement/testing/whatsapp-server.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { DELIVER_AT_ONCE_ENV } from './testing/outreach-env.ts';
import { startSmtpSink, type SmtpSink } from '../engagement/testing/smtp-sink.ts';
import { channelConsent } from '../engagement/testing/channel-consent.ts';

const twilioAccount = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-test-token' };
const whatsappAccount = { token: 'wa-test-token', phoneNumberId: '1098765' };
const WA_SECRET = 'wa-app-secret';
const FAMILIES = [
  'Okafor',
  'Lindqvist',
  'Brennan',
  'Takahashi',
  'Moreau',
  'Castillo',
  'Novak',
  'Haddad',
  'Petrov',
  'Mbeki',
];
const GIVEN = ['Maya', 'Jonas', 'Aoife', 'Kenji', 'Claire', 'Diego', 'Petra', 'Samir', 'Irina', 'Thabo'];

describe('engagement: consent-aware delivery on real channels', () => {
  let platform: TestPlatform;
  let twilio: ProviderServer;
  let whatsapp: ProviderServer;
  let smtp: SmtpSink;
  let phone = 0;
  before(async () => {
    [twilio, whatsapp, smtp] = await Promise.all([
      // As Twilio itself: a repeat of our key is a second SMS (the engine must not post one).
      startTwilioServer(twilioAccount, { deduplicates: false }),
      startWhatsappServer(whatsappAccount),
      startSmtpSink(),
    ]);
    platform = await startTestPlatform(pgliteBackend, {
      ...twilioEnv(twilioAccount, twilio.url),
      WHATSAPP_TOKEN: whatsappAccount.token,
      WHATSAPP_PHONE_NUMBER_ID: whatsappAccount.phoneNumberId,
      WHATSAPP_APP_SECRET: WA_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'wa-verify',
      WHATSAPP_API_URL: whatsapp.url,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
      ...DELIVER_AT_ONCE_ENV,
      // Long enough that a loaded machine's slow answer is not a timeout ('hang' waits this out).
      PROVIDER_TIMEOUT_SECONDS: '5',
      LOG_LEVEL: process.env.ENGAGEMENT_TEST_LOG,
    });
  });
  after(async () => {
    await platform.stop();
    await Promise.all([twilio.close(), whatsapp.close(), smtp.close()]);
  });

  const create = (resource: object) => platform.create(resource as { resourceType: string });
  /** A patient with a fresh mobile number (and an e-mail address when asked). */
  const newPatient = async (options: { email?: boolean } = {}) => {
    const mobile = `+1555${String(1000000 + ++phone).slice(1)}`;
    const email = `patient${phone}@example.test`;
    const id = await create({
      resourceType: 'Patient',
      // Distinct people: identity must not link them into one golden record.
      name: [{ family: FAMILIES[phone % FAMILIES.length]!, given: [GIVEN[phone % GIVEN.length]!] }],
      birthDate: `19${50 + phone}-0${1 + (phone % 9)}-1${phone % 10}`,
      gender: phone % 2 ? 'female' : 'male',
      telecom: [
        { system: 'phone', use: 'mobile', value: mobile, rank: 1 },
        ...(options.email ? [{ system: 'email', value: email, rank: 2 }] : []),
      ],
    });
    return { id, mobile, email };
  };
  const consent = (patient: string, permit: boolean, code: string, purpose?: string) =>
    create(channelConsent({ patient, permit, mode: code, purpose, dateTime: new Date().toISOString() }));
  const request = (
    patient: string,
    options: { purpose: string; medium?: string; dueAt?: string; about?: string; text?: string },
  ) =>
    create({
      resourceType: 'CommunicationRequest',
      status: 'active',
      category: [{ coding: [{ system: PURPOSE_SYSTEM, code: options.purpose }] }],
      ...(options.medium
        ? {
            medium: [
              {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode',
                    code: options.medium,
                  },
                ],
              },
            ],
          }
        : {}),
      recipient: [{ reference: `Patient/${patient}` }],
      subject: { reference: `Patient/${patient}` },
      ...(options.about ? { about: [{ reference: options.about }] } : {}),
      payload: [{ contentString: options.text ?? 'Riverside: a message for you.' }],
      occurrenceDateTime: options.dueAt ?? new Date().toISOString(),
    });
  const read = async <T>(path: string): Promise<T> =>
    (await (await platform.fetch(`/fhir/${path}`)).json()) as T;
  const attemptsOf = async (requestId: string) =>
    ((await read<Bundle>(`Communication?based-on=CommunicationRequest/${requestId}`)).entry ?? []).map(
      (e) => e.resource as Communication,
    );
  const stateOf = (c: Communication) => c.extension?.find((e) => e.url === DELIVERY_STATE_URL)?.valueCode;
  const sentTo = (server: ProviderServer, to: string) => server.accepted.filter((m) => m.to === to);

  test('nothing goes without consent for its channel and purpose; permitted ones go once', async () => {
    const maya = await newPatient({ email: true });
    const marketing = await request(maya.id, { purpose: 'marketing', medium: 'SMSWRIT' });
    const reminder = await request(maya.id, { purpose: 'appointment-reminder', medium: 'SMSWRIT' });
    const whatsappNoPermit = await request(maya.id, { purpose: 'appointment-reminder', medium: 'WHATSAPP' });
    await platform.worker.drain();
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${marketing}`)).status, 'revoked');
    assert.equal(
      sentTo(twilio, maya.mobile).length,
      2,
      'the reminder, and the WhatsApp one falling back to SMS',
    );
    assert.equal(sentTo(whatsapp, maya.mobile).length, 0, 'WhatsApp needs an explicit permit');
    const [attempt] = await attemptsOf(reminder);
    assert.equal(attempt?.status, 'in-progress');
    assert.equal(stateOf(attempt!), 'queued');
    // WhatsApp refused, so the reminder about it fell back to the patient's next channel.
    assert.equal(
      (await read<CommunicationRequest>(`CommunicationRequest/${whatsappNoPermit}`)).status,
      'completed',
    );
    assert.deepEqual(
      (await attemptsOf(whatsappNoPermit)).map((c) => c.medium?.[0]?.coding?.[0]?.code),
      ['SMSWRIT'],
    );
  });

  test('a deny for SMS and this purpose sends it by e-mail instead, through real SMTP', async () => {
    const patient = await newPatient({ email: true });
    await consent(patient.id, false, 'SMSWRIT', 'results-ready');
    const id = await request(patient.id, {
      purpose: 'results-ready',
      medium: 'SMSWRIT',
      text: 'Your results are ready.',
    });
    await platform.worker.drain();
    assert.equal(sentTo(twilio, patient.mobile).length, 0);
    const mail = smtp.mails.find((m) => m.to && JSON.stringify(m.to).includes(patient.email));
    assert.ok(mail, 'the e-mail arrived');
    assert.equal(mail.text?.trim(), 'Your results are ready.');
    assert.equal(mail.messageId, `<${id}.email@throughline.outreach>`);
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt?.medium?.[0]?.coding?.[0]?.code, 'EMAILWRIT');
  });

  test('WhatsApp with an explicit permit goes through the Cloud-compatible API', async () => {
    const patient = await newPatient();
    await consent(patient.id, true, 'WHATSAPP');
    await request(patient.id, { purpose: 'care-gap', medium: 'WHATSAPP' });
    await platform.worker.drain();
    assert.equal(sentTo(whatsapp, patient.mobile).length, 1);
  });

  test('WhatsApp webhooks: the verify handshake, signed statuses and replies; a wrong signature writes nothing', async () => {
    const verified = await fetch(
      `${platform.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444`,
    );
    assert.equal(await verified.text(), '1158201444');
    const refused = await fetch(
      `${platform.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    assert.equal(refused.status, 403);
    const patient = await newPatient();
    await consent(patient.id, true, 'WHATSAPP');
    const id = await request(patient.id, { purpose: 'care-gap', medium: 'WHATSAPP' });
    await platform.worker.drain();
    const [sent] = sentTo(whatsapp, patient.mobile);
    assert.ok(sent);
    const webhook = (value: object) => ({
      object: 'whatsapp_business_account',
      entry: [
        { id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', ...value } }] },
      ],
    });
    const forged = await postAsWhatsapp(`${platform.url}/webhooks/whatsapp`, {
      appSecret: 'wrong-secret',
      body: webhook({
        statuses: [{ id: sent.id, status: 'read', timestamp: '1', recipient_id: sent.to.slice(1) }],
      }),
    });
    assert.equal(forged.status, 403);
    assert.equal(stateOf((await attemptsOf(id))[0]!), 'sent', 'a forged status changes nothing');
    const readReport = await postAsWhatsapp(`${platform.url}/webhooks/whatsapp`, {
      appSecret: WA_SECRET,
      body: webhook({
        statuses: [{ id: sent.id, status: 'read', timestamp: '1', recipient_id: sent.to.slice(1) }],
      }),
    });
    assert.equal(readReport.status, 200);
    assert.equal(stateOf((await attemptsOf(id))[0]!), 'read');
    await postAsWhatsapp(`${platform.url}/webhooks/whatsapp`, {
      appSecret: WA_SECRET,
      body: webhook({
        messages: [
          {
            from: sent.to.slice(1),
            id: `wamid.reply${phone}`,
            timestamp: '2',
            type: 'text',
            text: { body: 'Can I come on Friday instead?' },
            context: { id: sent.id },
          },
        ],
      }),
    });
    const [attempt] = await attemptsOf(id);
    const replies = await read<Bundle>(
      `Communication?subject=Patient/${patient.id}&sender=Patient/${patient.id}`,
    );
    const reply = replies.entry?.[0]?.resource as Communication;
    assert.equal(reply.inResponseTo?.[0]?.reference, `Communication/${attempt!.id}`);
    assert.equal(reply.extension, undefined, 'not a keyword: left for a person');
  });

  test('STOP suppresses everything queued; START restores', async () => {
    const patient = await newPatient();
    await request(patient.id, { purpose: 'appointment-reminder', medium: 'SMSWRIT' });
    await platform.worker.drain();
    // Due in an hour, so the background worker cannot send them before the STOP is read, however
    // slow the machine; once it is, they are made due now and must still not go.
    const queuedAt = new Date(Date.now() + 3600_000).toISOString();
    const queued = [
      await request(patient.id, { purpose: 'appointment-reminder', dueAt: queuedAt }),
      await request(patient.id, { purpose: 'care-gap', dueAt: queuedAt }),
    ];
    await platform.worker.drain();
    const stop = await postAsTwilio(`${platform.url}/webhooks/twilio/sms`, {
      authToken: twilioAccount.authToken,
      params: { From: patient.mobile, To: '+15550000000', Body: 'STOP', MessageSid: `SMstop${phone}` },
    });
    assert.equal(stop.status, 200);
    const madeDue = await platform.db.query(
      `UPDATE job SET run_at = now() WHERE queue = 'engagement:deliver' AND status = 'ready' AND key = ANY($1::text[]) RETURNING id`,
      [queued.map((id) => `CommunicationRequest/${id}`)],
    );
    assert.equal(madeDue.rows.length, queued.length, 'their deliveries were waiting');
    await platform.worker.drain();
    assert.equal(sentTo(twilio, patient.mobile).length, 1, 'nothing after STOP');
    for (const id of queued) {
      const stored = await read<CommunicationRequest>(`CommunicationRequest/${id}`);
      assert.equal(stored.status, 'revoked');
      assert.match(stored.statusReason?.text ?? '', /STOP/);
    }
    await postAsTwilio(`${platform.url}/webhooks/twilio/sms`, {
      authToken: twilioAccount.authToken,
      params: { From: patient.mobile, To: '+15550000000', Body: 'START', MessageSid: `SMstart${phone}` },
    });
    await request(patient.id, { purpose: 'appointment-reminder' });
    await platform.worker.drain();
    assert.equal(sentTo(twilio, patient.mobile).length, 2, 'START restored SMS');
  });

  test('a wrong signature is refused with 403 and an OperationOutcome, and nothing is written', async () => {
    const patient = await newPatient();
    const before = (await read<Bundle>(`Communication?subject=Patient/${patient.id}&_summary=count`)).total;
    const response = await postAsTwilio(`${platform.url}/webhooks/twilio/sms`, {
      authToken: 'not-the-token',
      params: { From: patient.mobile, To: '+15550000000', Body: 'STOP', MessageSid: 'SMforged' },
    });
    assert.equal(response.status, 403);
    const outcome = (await response.json()) as OperationOutcome;
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0]?.expression?.[0], 'X-Twilio-Signature');
    const afterCount = (await read<Bundle>(`Communication?subject=Patient/${patient.id}&_summary=count`))
      .total;
    assert.equal(afterCount, before);
  });

  test('each provider failure mode ends delivered or dead-lettered, never sent twice', async () => {
    const flaky = await newPatient();
    twilio.script(flaky.mobile, [500, 'hang']);
    const limited = await newPatient();
    twilio.script(limited.mobile, [429]);
    const wrong = await newPatient();
    twilio.script(wrong.mobile, [400, 400]);
    const ids = {
      flaky: await request(flaky.id, { purpose: 'appointment-reminder', medium: 'SMSWRIT' }),
      limited: await request(limited.id, { purpose: 'appointment-reminder', medium: 'SMSWRIT' }),
      wrong: await request(wrong.id, { purpose: 'appointment-reminder', medium: 'SMSWRIT' }),
    };
    await platform.worker.drain();
    for (const patient of [flaky, limited]) assert.equal(sentTo(twilio, patient.mobile).length, 1);
    assert.equal((await read<CommunicationRequest>(`CommunicationRequest/${ids.flaky}`)).status, 'completed');
    assert.equal(
      (await read<CommunicationRequest>(`CommunicationRequest/${ids.limited}`)).status,
      'completed',
    );
    const dead = await read<CommunicationRequest>(`CommunicationRequest/${ids.wrong}`);
    assert.equal(dead.status, 'on-hold');
    assert.match(dead.statusReason?.text ?? '', /not a valid phone number/);
    const tasks = await read<Bundle>(`Task?focus=CommunicationRequest/${ids.wrong}`);
    assert.equal(
      (tasks.entry?.[0]?.resource as Task).description?.startsWith('Outreach could not be delivered'),
      true,
    );
    const deadJobs = await listDeadJobs(platform.db, 'engagement:deliver');
    assert.ok(deadJobs.some((job) => job.lastError.includes(ids.wrong)));
    const [attempt] = await attemptsOf(ids.wrong);
    assert.equal(attempt?.status, 'not-done');
    const worklist = (await (await platform.fetch('/api/worklists/outreach-failures')).json()) as {
      items: { description?: string; patient?: string }[];
    };
    assert.ok(worklist.items.some((item) => item.description?.includes('not a valid phone number')));
  });

  test('a C reply confirms the appointment the reminder was about; a delivery callback marks it delivered', async () => {
    const patient = await newPatient();
    // Within the hour: every reminder offset (72, 24, 2 h) has passed, so none is planned late.
    const start = new Date(Date.now() + 3600_000).toISOString();
    const appointment = await create({
      resourceType: 'Appointment',
      status: 'booked',
      start,
      end: new Date(Date.parse(start) + 1800_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'needs-action' }],
    });
    await platform.worker.drain();
    const planned = await read<Bundle>(`CommunicationRequest?subject=Patient/${patient.id}`);
    assert.equal(planned.entry?.length ?? 0, 0, 'no reminder is planned after its time');
    const id = await request(patient.id, {
      purpose: 'appointment-reminder',
      about: `Appointment/${appointment}`,
    });
    await platform.worker.drain();
    const [sms] = sentTo(twilio, patient.mobile);
    assert.ok(sms);
    const status = await postAsTwilio(`${platform.url}/webhooks/twilio/status`, {
      authToken: twilioAccount.authToken,
      params: { MessageSid: sms.id, MessageStatus: 'delivered', To: patient.mobile },
    });
    assert.equal(status.status, 200);
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt?.status, 'completed');
    assert.equal(stateOf(attempt!), 'delivered');
    await postAsTwilio(`${platform.url}/webhooks/twilio/sms`, {
      authToken: twilioAccount.authToken,
      params: { From: patient.mobile, To: '+15550000000', Body: 'c', MessageSid: `SMreply${phone}` },
    });
    const confirmed = await read<Appointment>(`Appointment/${appointment}`);
    assert.equal(confirmed.participant[0]?.status, 'accepted');
    const replies = await read<Bundle>(
      `Communication?subject=Patient/${patient.id}&sender=Patient/${patient.id}`,
    );
    const reply = replies.entry?.[0]?.resource as Communication;
    assert.equal(reply.inResponseTo?.[0]?.reference, `Communication/${attempt!.id}`);
    // On her 360 view and her timeline: channel, direction, status and her response.
    const view = (await (await platform.fetch(`/api/patients/${patient.id}/360`)).json()) as {
      engagement: {
        reference: string;
        channel: string;
        direction: string;
        status: string;
        response?: string;
        responseAction?: string;
      }[];
    };
    const item = view.engagement.find((e) => e.reference === `Communication/${attempt!.id}`);
    assert.deepEqual(
      {
        channel: item?.channel,
        direction: item?.direction,
        status: item?.status,
        response: item?.response,
        action: item?.responseAction,
      },
      { channel: 'sms', direction: 'outbound', status: 'delivered', response: 'c', action: 'confirm' },
    );
    assert.ok(
      view.engagement.some((e) => e.reference === `Communication/${reply.id}` && e.direction === 'inbound'),
    );
    const timeline = (await (
      await platform.fetch(`/api/patients/${patient.id}/timeline?category=engagement`)
    ).json()) as {
      events: { reference: string; engagement?: { status: string; response?: string } }[];
    };
    const event = timeline.events.find((e) => e.reference === `Communication/${attempt!.id}`);
    assert.equal(event?.engagement?.status, 'delivered');
    assert.equal(event?.engagement?.response, 'c');
  });
});
