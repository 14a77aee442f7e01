import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunicationRequest } from '@medplum/fhirtypes';
import { DEFERRAL_URL, PURPOSE_SYSTEM } from '../engagement/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { createMobilePatient } from './testing/sms-outreach.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const account = { accountSid: 'AC00000000000000000000000000000def', authToken: 'deferral-token' };
const HOUR = 3_600_000;

/** Quiet hours around the real time now (the job queue runs on the database's clock). */
function quietHoursAroundNow(): { window: string; end: Date } {
  const now = Date.now();
  const start = new Date(Math.floor((now - HOUR) / HOUR) * HOUR);
  const end = new Date(Math.floor((now + 2 * HOUR) / HOUR) * HOUR);
  const hhmm = (at: Date) => at.toISOString().slice(11, 16);
  return { window: `${hhmm(start)}-${hhmm(end)}`, end };
}

/**
 * A due request put back by quiet hours keeps its `occurrenceDateTime` (when it fell due) and
 * says when it goes next and why (issue 16): on the request, and in the outbox's list of what
 * waits, so "due and still active" no longer hides the reason it has not gone.
 */
describeEachBackend('deferred outreach: when it goes next and why', (backend) => {
  const quiet = quietHoursAroundNow();
  const { platform, twilio } = twilioPlatformPerSuite(backend, {
    account,
    env: { QUIET_HOURS: quiet.window },
  });
  let coordinator = '';
  let requestId = '';
  const due = new Date(Date.now() - 5 * 60_000).toISOString();
  before(async () => {
    coordinator = await staffToken(platform, 'care-coordinator');
    const patient = await createMobilePatient(platform, {
      family: 'Waitwell',
      given: 'Quinn',
      birthDate: '1984-09-09',
      mobile: '+15550108888',
    });
    requestId = await platform.create({
      resourceType: 'CommunicationRequest',
      status: 'active',
      subject: { reference: `Patient/${patient}` },
      recipient: [{ reference: `Patient/${patient}` }],
      category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap' }] }],
      medium: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }],
        },
      ],
      payload: [{ contentString: 'Your yearly check is due: call us to book.' }],
      occurrenceDateTime: due,
    } as never);
    await platform.worker.drain();
  });

  test('the request keeps when it fell due and carries when it goes next and why', async () => {
    assert.equal(twilio.accepted.length, 0, 'nothing sent in quiet hours');
    const request = (await (
      await platform.fetch(`/fhir/CommunicationRequest/${requestId}`)
    ).json()) as CommunicationRequest;
    assert.equal(request.status, 'active');
    assert.equal(Date.parse(request.occurrenceDateTime!), Date.parse(due));
    const parts = request.extension?.find((extension) => extension.url === DEFERRAL_URL)?.extension ?? [];
    const part = (url: string) => parts.find((each) => each.url === url);
    assert.equal(part('reason')?.valueCode, 'quiet-hours');
    assert.equal(part('channel')?.valueCode, 'sms');
    assert.equal(Date.parse(part('until')?.valueDateTime ?? ''), quiet.end.getTime());
  });

  test('the outbox lists it: when it goes next and why; a nurse without the outbox gets 403', async () => {
    const response = await platform.fetch('/api/engagement/outbox/deferred', { token: coordinator });
    assert.equal(response.status, 200, await response.clone().text());
    const { deferred } = (await response.json()) as {
      deferred: {
        request: string;
        reason: string;
        until: string;
        due: string;
        channel: string;
        purpose: string;
        zone: string;
      }[];
    };
    assert.deepEqual(
      deferred.map(({ request, reason, channel, purpose }) => ({ request, reason, channel, purpose })),
      [
        {
          request: `CommunicationRequest/${requestId}`,
          reason: 'quiet-hours',
          channel: 'sms',
          purpose: 'care-gap',
        },
      ],
    );
    assert.equal(Date.parse(deferred[0]!.until), quiet.end.getTime());
    assert.equal(Date.parse(deferred[0]!.due), Date.parse(due));
    assert.equal(deferred[0]!.zone, 'UTC', "her quiet hours' zone: no zone of her own, so the clinic's");
    const nurse = await staffToken(platform, 'nurse');
    assert.equal((await platform.fetch('/api/engagement/outbox/deferred', { token: nurse })).status, 403);
  });

  test('deciding again writes nothing new: the deferral is recorded once', async () => {
    await platform.worker.drain();
    const history = (await (
      await platform.fetch(`/fhir/CommunicationRequest/${requestId}/_history`)
    ).json()) as { total?: number; entry?: unknown[] };
    assert.equal(history.entry?.length, 2, 'created, then deferred once');
  });
});
