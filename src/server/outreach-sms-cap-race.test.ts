import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import { DEFERRAL_URL, PURPOSE_SYSTEM } from '../engagement/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const account = { accountSid: 'AC0000000000000000000000000000race', authToken: 'sms-race-token' };
const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';

/** A zone where it is about noon now: the day's cap cannot roll over while the test runs. */
function middayZone(): string {
  const offset = new Date().getUTCHours() - 12;
  return offset >= 0 ? `Etc/GMT+${offset}` : `Etc/GMT${offset}`;
}

/** A due care-gap SMS for the patient (capped: not an appointment reminder, not urgent). */
function careGap(patient: string, text: string): CommunicationRequest {
  return {
    resourceType: 'CommunicationRequest',
    status: 'active',
    subject: { reference: `Patient/${patient}` },
    recipient: [{ reference: `Patient/${patient}` }],
    category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap' }] }],
    medium: [{ coding: [{ system: MODE, code: 'SMSWRIT' }] }],
    payload: [{ contentString: text }],
    occurrenceDateTime: new Date(Date.now() - 60_000).toISOString(),
  };
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
    const patient = await platform.create({
      resourceType: 'Patient',
      name: [{ family: 'Racewell', given: ['Jo'] }],
      birthDate: '1981-04-04',
      telecom: [{ system: 'phone', use: 'mobile', value: '+15550108888' }],
    } as never);
    // One transaction: their delivery jobs fall due together and are taken in one batch.
    const texts = ['Your yearly check is due.', 'Your flu shot is due.', 'Your eye exam is due.'];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: texts.map((text) => ({
        resource: careGap(patient, text),
        request: { method: 'POST', url: 'CommunicationRequest' },
      })),
    };
    const response = await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(bundle) });
    assert.equal(response.status, 200, await response.clone().text());
    const written = (await response.json()) as Bundle;
    for (const entry of written.entry ?? []) requests.push(entry.response!.location!.split('/')[1]!);
    await platform.worker.drain();
  });

  test('one SMS goes; the others wait for her next day, reason sms-cap', async () => {
    assert.equal(twilio.accepted.length, 1, `one SMS went, not ${twilio.accepted.length}`);
    const states = await Promise.all(
      requests.map(async (id) => {
        const response = await platform.fetch(`/fhir/CommunicationRequest/${id}`);
        const request = (await response.json()) as CommunicationRequest;
        const parts = request.extension?.find((each) => each.url === DEFERRAL_URL)?.extension;
        return `${request.status}${parts ? ` ${parts.find((part) => part.url === 'reason')?.valueCode}` : ''}`;
      }),
    );
    assert.deepEqual(states.sort(), ['active sms-cap', 'active sms-cap', 'completed']);
  });
});
