import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { postAsTwilio } from '../engagement/testing/twilio-server.ts';
import { BOOKED_AS_EXTENSION } from '../scheduling/index.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';
import { book, createGpSchedule, findTimes, GP_SERVICE, operate } from './testing/scheduling-fixture.ts';

const twilioAccount = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-test-token' };
const NAMES = ['Okafor', 'Lindqvist', 'Brennan', 'Takahashi'];

const { platform, twilio } = twilioPlatformPerSuite(pgliteBackend, {
  account: twilioAccount,
  env: { QUIET_HOURS: 'off', OUTREACH_RETRY_BASE_SECONDS: '0' },
});

const patient = async (n: number) => {
  const mobile = `+1555200000${n}`;
  const id = await platform.create({
    resourceType: 'Patient',
    name: [{ family: NAMES[n]!, given: ['Pat'] }],
    birthDate: `196${n}-0${n + 1}-1${n}`,
    telecom: [{ system: 'phone', use: 'mobile', value: mobile, rank: 1 }],
  } as never);
  return { ref: `Patient/${id}`, mobile };
};
const sentTo = (mobile: string) => twilio.accepted.filter((message) => message.to === mobile);
const reply = (from: string, body: string, sid: string) =>
  postAsTwilio(`${platform.url}/webhooks/twilio/sms`, {
    authToken: twilioAccount.authToken,
    params: { From: from, To: '+15550000000', Body: body, MessageSid: sid },
  });

test('a cancellation is offered to the waitlist by SMS; the first YES books it, the other is told it has gone', async () => {
  const clinic = await createGpSchedule(platform);
  const [holder, first, second] = [await patient(0), await patient(1), await patient(2)];
  const [time] = await findTimes(platform, { fixture: clinic, patient: holder.ref });
  const booked = await book(platform, { proposal: time!, patient: holder.ref });
  const window = [
    { start: clinic.monday.toUTC().toISO()!, end: clinic.monday.plus({ days: 5 }).toUTC().toISO()! },
  ];
  const waiting = async (who: string, priority: number) =>
    platform.create({
      resourceType: 'Appointment',
      status: 'waitlist',
      serviceType: [GP_SERVICE],
      priority,
      requestedPeriod: window,
      created: new Date().toISOString(),
      participant: [{ actor: { reference: who }, status: 'needs-action' }],
    } as never);
  const firstEntry = await waiting(first.ref, 1);
  const secondEntry = await waiting(second.ref, 2);
  await platform.worker.drain();
  const cancelled = await operate(platform, {
    path: `/fhir/Appointment/${booked.body.id}/$cancel`,
    parameter: [{ name: 'reason', valueString: 'patient called' }],
  });
  assert.equal(cancelled.body.status, 'cancelled', JSON.stringify(cancelled.body));
  await platform.worker.drain();
  await platform.worker.drain();
  assert.match(sentTo(first.mobile)[0]?.text ?? '', /Reply YES/);
  assert.match(sentTo(second.mobile)[0]?.text ?? '', /Reply YES/);
  assert.equal((await reply(second.mobile, 'YES', 'SMwl-2')).status, 200);
  await platform.worker.drain();
  await platform.worker.drain();
  const filled = (await (await platform.fetch(`/fhir/Appointment/${secondEntry}`)).json()) as Appointment;
  assert.equal(filled.status, 'cancelled', 'the entry is filled');
  const bookedAs = filled.extension?.find((e) => e.url === BOOKED_AS_EXTENSION)?.valueReference?.reference;
  const newBooking = (await (await platform.fetch(`/fhir/${bookedAs}`)).json()) as Appointment;
  assert.equal(newBooking.status, 'booked');
  assert.equal(newBooking.start, time!.start);
  assert.ok(newBooking.participant.some((p) => p.actor?.reference === second.ref));
  await platform.worker.drain();
  assert.ok(
    sentTo(second.mobile).some((m) => /You are booked/.test(m.text)),
    JSON.stringify(sentTo(second.mobile)),
  );
  assert.ok(
    sentTo(first.mobile).some((m) => /has gone/.test(m.text)),
    JSON.stringify(sentTo(first.mobile)),
  );
  const stillWaiting = (await (
    await platform.fetch(`/fhir/Appointment/${firstEntry}`)
  ).json()) as Appointment;
  assert.equal(stillWaiting.status, 'waitlist');
  const late = await reply(first.mobile, 'YES', 'SMwl-1');
  assert.equal(late.status, 200);
  await platform.worker.drain();
  const booking = (await (
    await platform.fetch(`/fhir/Appointment?date=${encodeURIComponent(time!.start!)}&status=booked`)
  ).json()) as Bundle;
  assert.equal(booking.entry?.length, 1, 'one booking of the freed time');
});
