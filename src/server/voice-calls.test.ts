import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, Patient, Task } from '@medplum/fhirtypes';
import { postAsTwilio } from '../engagement/testing/twilio-server.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const account = { accountSid: 'AC00000000000000000000000000000ca1', authToken: 'voice-token' };
const PHONE = '+15550107777';

interface TimelineEvent {
  reference: string;
  engagement?: { kind: string; channel?: string; direction: string; status: string; reason?: string };
}

/**
 * Inbound calls from the Twilio-compatible provider (issue 16): a status callback, signed as
 * Twilio signs, puts the call on the caller's timeline (matched by number, as the golden
 * record), a missed one also on the call-backs worklist; a repeated callback adds nothing; a
 * wrong signature is a 403; a call staff logged reads the same.
 */
describeEachBackend(
  'inbound calls: missed and answered, on the timeline and the call-backs list',
  (backend) => {
    const { platform } = twilioPlatformPerSuite(backend, { account });
    let coordinator = '';
    let golden = '';
    let source = '';
    before(async () => {
      coordinator = await staffToken(platform, 'care-coordinator');
      const record = (meta: string): Patient => ({
        resourceType: 'Patient',
        meta: { source: meta },
        name: [{ family: 'Callerton', given: ['Imogen'] }],
        birthDate: '1979-04-12',
        gender: 'female',
        telecom: [{ system: 'phone', use: 'mobile', value: PHONE }],
        address: [{ line: ['4 Bell Lane'], city: 'Riverton', postalCode: '97406' }],
      });
      source = await platform.create(record('gp-ehr'));
      await platform.create(record('reminder-tool'));
      await platform.worker.drain();
      const view = (await (await platform.fetch(`/api/patients/${source}/360`)).json()) as {
        person: { golden?: Patient };
      };
      golden = view.person.golden?.id ?? '';
      assert.ok(golden, 'identity linked the two records into a golden record');
    });

    const call = (path: string, params: Record<string, string>, signature?: string) =>
      postAsTwilio(`${platform.url}${path}`, { authToken: account.authToken, params, signature });
    const inbound = (sid: string, extra: Record<string, string>) => ({
      AccountSid: account.accountSid,
      CallSid: sid,
      From: PHONE,
      To: '+15550000000',
      Direction: 'inbound',
      ...extra,
    });
    const callsOf = async () => {
      const bundle = (await (
        await platform.fetch(`/fhir/Communication?medium=PHONE&subject=Patient/${golden}&_count=50`)
      ).json()) as Bundle<Communication>;
      return (bundle.entry ?? []).map((entry) => entry.resource!);
    };
    const callBacks = async () => {
      const bundle = (await (
        await platform.fetch(
          '/fhir/Task?performer=https://throughline.dev/fhir/CodeSystem/worklist|call-backs',
        )
      ).json()) as Bundle<Task>;
      return (bundle.entry ?? []).map((entry) => entry.resource!);
    };

    test('a missed call: on the golden record, once, with one call-back on the worklist', async () => {
      const ringing = await call('/webhooks/twilio/voice', inbound('CA100', { CallStatus: 'ringing' }));
      assert.equal(ringing.status, 200);
      assert.equal((await callsOf()).length, 0, 'a ringing call has not ended: nothing yet');
      for (let delivery = 0; delivery < 2; delivery++) {
        const ended = await call('/webhooks/twilio/voice', inbound('CA100', { CallStatus: 'no-answer' }));
        assert.equal(ended.status, 200, await ended.clone().text());
        assert.match(await ended.text(), /<Response\/>/);
      }
      const [missed, ...more] = await callsOf();
      assert.equal(more.length, 0, 'a repeated callback writes nothing more');
      assert.equal(missed?.status, 'not-done');
      assert.equal(missed?.statusReason?.text, 'Missed call: no one answered at the clinic');
      assert.equal(missed?.sender?.reference, `Patient/${golden}`);
      const tasks = await callBacks();
      assert.equal(tasks.length, 1);
      assert.equal(tasks[0]?.for?.reference, `Patient/${golden}`);
      assert.equal(tasks[0]?.focus?.reference, `Communication/${missed?.id}`);
      const list = (await (
        await platform.fetch('/api/worklists/call-backs', { token: coordinator })
      ).json()) as { total: number };
      assert.equal(list.total, 1, 'on the coordinator’s call-backs worklist');
      // One list, not two: the journey does not also ask for an answer to the missed call.
      await platform.worker.drain();
      const unanswered = (await (
        await platform.fetch('/api/worklists/unanswered-messages', { token: coordinator })
      ).json()) as { total: number };
      assert.equal(unanswered.total, 0, 'a missed call is a call-back, not an unanswered message');
    });

    test('a wrong signature is a 403 and writes nothing; an unknown number writes nothing', async () => {
      const forged = await call(
        '/webhooks/twilio/voice',
        inbound('CA200', { CallStatus: 'busy' }),
        'Zm9yZ2Vk',
      );
      assert.equal(forged.status, 403);
      const stranger = await call('/webhooks/twilio/voice', {
        ...inbound('CA201', { CallStatus: 'no-answer' }),
        From: '+15559990000',
      });
      assert.equal(stranger.status, 200);
      assert.equal((await callsOf()).length, 1);
      assert.equal((await callBacks()).length, 1);
    });

    test('answered through the status callback, and a <Dial> nobody picked up', async () => {
      const answered = await call(
        '/webhooks/twilio/status',
        inbound('CA300', { CallStatus: 'completed', CallDuration: '95' }),
      );
      assert.equal(answered.status, 200, await answered.clone().text());
      const dialled = await call(
        '/webhooks/twilio/voice',
        inbound('CA301', { CallStatus: 'in-progress', DialCallStatus: 'busy' }),
      );
      assert.equal(dialled.status, 200);
      const calls = await callsOf();
      const bySid = (sid: string) => calls.find((c) => c.identifier?.some((i) => i.value === sid));
      assert.equal(bySid('CA300')?.status, 'completed');
      assert.ok(bySid('CA300')?.received);
      assert.equal(bySid('CA301')?.status, 'not-done');
      assert.equal((await callBacks()).length, 2, 'the busy one asks for a call-back, the answered one not');
    });

    test('a missed call staff logged reads the same on the timeline, and asks for a call-back too', async () => {
      const frontDesk = await staffToken(platform, 'front-desk');
      const logged = await platform.fetch('/api/engagement/calls', {
        method: 'POST',
        token: frontDesk,
        body: JSON.stringify({
          patient: `Patient/${golden}`,
          direction: 'inbound',
          missed: true,
          note: 'Rang during the lunch break',
        }),
      });
      assert.equal(logged.status, 201, await logged.clone().text());
      const { communication } = (await logged.json()) as { communication: string };
      const timeline = (await (
        await platform.fetch(`/api/patients/${golden}/timeline?category=engagement&limit=50`)
      ).json()) as { events: TimelineEvent[] };
      const shape = (reference: string) => {
        const { kind, channel, direction, status, reason } = timeline.events.find(
          (event) => event.reference === reference,
        )!.engagement!;
        return { kind, channel, direction, status, reason };
      };
      const webhook = (await callsOf()).find((c) => c.identifier?.some((i) => i.value === 'CA100'))!;
      assert.deepEqual(shape(communication), shape(`Communication/${webhook.id}`));
      assert.deepEqual(shape(communication), {
        kind: 'call',
        channel: 'phone',
        direction: 'inbound',
        status: 'missed',
        reason: 'Missed call: no one answered at the clinic',
      });
      assert.equal((await callBacks()).length, 3);
    });
  },
);
