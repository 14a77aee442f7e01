import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunicationRequest } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import { DEFERRAL_URL } from '../engagement/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { createMobilePatient, dueSms, middayZone } from './testing/sms-outreach.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const account = { accountSid: 'AC00000000000000000000000000000cap', authToken: 'sms-cap-token' };

/**
 * The SMS cap over HTTP (issue 16): with one non-urgent SMS a day, a second care-gap notice the
 * same day is put back to the patient's next local day, and says so — reason `sms-cap` on the
 * request and in the outbox's list of what waits — rather than going or being dropped.
 */
describeEachBackend('deferred outreach: the SMS cap', (backend) => {
  const zone = middayZone();
  const { platform, twilio } = twilioPlatformPerSuite(backend, {
    account,
    env: { QUIET_HOURS: 'off', CLINIC_TIME_ZONE: zone, SMS_MAX_PER_DAY: '1', SMS_MAX_PER_WEEK: '0' },
  });
  let coordinator = '';
  let second = '';
  before(async () => {
    coordinator = await staffToken(platform, 'care-coordinator');
    const patient = await createMobilePatient(platform, {
      family: 'Capwell',
      given: 'Robin',
      birthDate: '1979-03-03',
      mobile: '+15550107777',
    });
    const careGap = (text: string) => platform.create(dueSms(patient, text));
    // One after the other: the first is sent (and counted) before the second is decided.
    await careGap('Your yearly check is due: call us to book.');
    await platform.worker.drain();
    second = await careGap('Your flu shot is due: call us to book.');
    await platform.worker.drain();
  });

  test('the second SMS of the day is not sent: it waits for her next day, reason sms-cap', async () => {
    assert.equal(twilio.accepted.length, 1, 'one SMS went, the cap held the other');
    const response = await platform.fetch(`/fhir/CommunicationRequest/${second}`);
    const request = (await response.json()) as CommunicationRequest;
    assert.equal(request.status, 'active', 'deferred, not dropped');
    const parts = request.extension?.find((extension) => extension.url === DEFERRAL_URL)?.extension ?? [];
    const part = (url: string) => parts.find((each) => each.url === url);
    assert.equal(part('reason')?.valueCode, 'sms-cap');
    assert.equal(part('channel')?.valueCode, 'sms');
    const nextDay = DateTime.now().setZone(zone).startOf('day').plus({ days: 1 }).toMillis();
    assert.equal(Date.parse(part('until')?.valueDateTime ?? ''), nextDay);
  });

  test('the outbox lists it as waiting for the cap', async () => {
    const response = await platform.fetch('/api/engagement/outbox/deferred', { token: coordinator });
    assert.equal(response.status, 200, await response.clone().text());
    const { deferred } = (await response.json()) as {
      deferred: { request: string; reason: string; channel: string; purpose: string; zone: string }[];
    };
    assert.equal(deferred[0]?.zone, zone, 'the zone her day is counted in');
    assert.deepEqual(
      deferred.map(({ request, reason, channel, purpose }) => ({ request, reason, channel, purpose })),
      [{ request: `CommunicationRequest/${second}`, reason: 'sms-cap', channel: 'sms', purpose: 'care-gap' }],
    );
  });
});
