import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import { DEFERRAL_URL } from '../engagement/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { createMobilePatient, dueSms, middayZone } from './testing/sms-outreach.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';
import type { TestPlatform } from './testing/test-platform.ts';

const account = { accountSid: 'AC0000000000000000000000000000race', authToken: 'sms-race-token' };

/** Writes the requests in one transaction (their jobs fall due together, one batch); their ids. */
async function writeTogether(platform: TestPlatform, requests: CommunicationRequest[]): Promise<string[]> {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: requests.map((resource) => ({
      resource,
      request: { method: 'POST', url: 'CommunicationRequest' },
    })),
  };
  const response = await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(bundle) });
  assert.equal(response.status, 200, await response.clone().text());
  const written = (await response.json()) as Bundle;
  return (written.entry ?? []).map((entry) => entry.response!.location!.split('/')[1]!);
}

/** `status` and, when deferred, ` {reason}` of each request. */
async function statesOf(platform: TestPlatform, ids: string[]): Promise<string[]> {
  return Promise.all(
    ids.map(async (id) => {
      const response = await platform.fetch(`/fhir/CommunicationRequest/${id}`);
      const request = (await response.json()) as CommunicationRequest;
      const parts = request.extension?.find((each) => each.url === DEFERRAL_URL)?.extension;
      return `${request.status}${parts ? ` ${parts.find((part) => part.url === 'reason')?.valueCode}` : ''}`;
    }),
  );
}

/**
 * The SMS cap decided by deliveries in flight together (issue 16): several capped SMS for one
 * patient fall due at once and are delivered concurrently (the engine runs up to 32 at a time,
 * sharing their reads and writes). Each one's cap check alone would see no SMS yet; the cap
 * must still let exactly one go that day and put the others back, reason `sms-cap`.
 */
describeEachBackend('the SMS cap: deliveries in flight together', (backend) => {
  const { platform, twilio } = twilioPlatformPerSuite(backend, {
    account,
    env: { QUIET_HOURS: 'off', CLINIC_TIME_ZONE: middayZone(), SMS_MAX_PER_DAY: '1', SMS_MAX_PER_WEEK: '3' },
  });
  const requests: string[] = [];
  before(async () => {
    const patient = await createMobilePatient(platform, {
      family: 'Racewell',
      given: 'Jo',
      birthDate: '1981-04-04',
      mobile: '+15550108888',
    });
    // One transaction: their delivery jobs fall due together and are taken in one batch.
    const texts = ['Your yearly check is due.', 'Your flu shot is due.', 'Your eye exam is due.'];
    requests.push(
      ...(await writeTogether(
        platform,
        texts.map((text) => dueSms(patient, text)),
      )),
    );
    await platform.worker.drain();
  });

  test('one SMS goes; the others wait for her next day, reason sms-cap', async () => {
    assert.equal(twilio.accepted.length, 1, `one SMS went, not ${twilio.accepted.length}`);
    const states = await statesOf(platform, requests);
    assert.deepEqual(states.sort(), ['active sms-cap', 'active sms-cap', 'completed']);
  });
});

/**
 * Exempt SMS in the same burst (issue 16): appointment reminders and urgent requests go whatever
 * the cap and claim no seat, yet reminders count towards it. Whichever order the batch's
 * deliveries open their attempts in, every exempt one goes and at most the cap of capped ones.
 */
describeEachBackend('the SMS cap: exempt and capped SMS in flight together', (backend) => {
  const CAP = 2;
  const { platform, twilio } = twilioPlatformPerSuite(backend, {
    account,
    env: {
      QUIET_HOURS: 'off',
      CLINIC_TIME_ZONE: middayZone(),
      SMS_MAX_PER_DAY: String(CAP),
      SMS_MAX_PER_WEEK: '9',
    },
  });
  const exempt = ['Reminder: tomorrow 9:00.', 'Reminder: Friday 14:00.', 'Urgent: please call the clinic.'];
  const capped = ['Check due.', 'Flu shot due.', 'Eye exam due.', 'Foot check due.', 'Vaccine due.'];
  const ids = { exempt: [] as string[], capped: [] as string[] };
  before(async () => {
    const patient = await createMobilePatient(platform, {
      family: 'Burstow',
      given: 'Ana',
      birthDate: '1979-09-09',
      mobile: '+15550109999',
    });
    const kinds = ['appointment-reminder', 'appointment-reminder', 'urgent'] as const;
    // Interleaved, so exempt and capped deliveries run side by side.
    const all = [0, 1, 2, 3, 4].flatMap((i) => [
      dueSms(patient, capped[i]!),
      ...(exempt[i] ? [dueSms(patient, exempt[i], kinds[i])] : []),
    ]);
    const written = await writeTogether(platform, all);
    for (const [i, id] of written.entries())
      (capped.includes(all[i]!.payload![0]!.contentString!) ? ids.capped : ids.exempt).push(id);
    await platform.worker.drain();
  });

  test('every exempt SMS goes; at most the cap of capped ones, the rest wait, reason sms-cap', async () => {
    const sent = twilio.accepted.map((message) => message.text);
    assert.deepEqual(sent.filter((text) => exempt.includes(text)).sort(), [...exempt].sort());
    const cappedSent = sent.filter((text) => capped.includes(text));
    assert.ok(cappedSent.length <= CAP, `${cappedSent.length} capped SMS went: ${cappedSent.join(' | ')}`);
    assert.deepEqual(await statesOf(platform, ids.exempt), ['completed', 'completed', 'completed']);
    const states = await statesOf(platform, ids.capped);
    assert.equal(states.filter((state) => state === 'completed').length, cappedSent.length);
    assert.equal(
      states.filter((state) => state === 'active sms-cap').length,
      capped.length - cappedSent.length,
    );
  });
});
