import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest, OperationOutcome } from '@medplum/fhirtypes';
import { CAMPAIGN_SYSTEM, PURPOSE_SYSTEM } from '../engagement/index.ts';
import { channelConsent } from '../engagement/testing/channel-consent.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { twilioPlatformPerSuite } from './testing/twilio-platform.ts';

const twilioAccount = { accountSid: 'AC00000000000000000000000000000c4m', authToken: 'campaign-token' };

describeEachBackend('outreach campaigns: preview, throttled launch, report', (backend) => {
  const { platform, twilio } = twilioPlatformPerSuite(backend, {
    account: twilioAccount,
    env: { QUIET_HOURS: 'off', SMS_MAX_PER_DAY: '0', SMS_MAX_PER_WEEK: '0' },
  });
  let coordinator = '';
  const people: Record<string, string> = {};
  before(async () => {
    coordinator = await staffToken(platform, 'care-coordinator');
    const person = (given: string, extra: object) =>
      platform.create({
        resourceType: 'Patient',
        name: [{ family: 'Campaignson', given: [given] }],
        birthDate: `19${50 + given.length}-0${1 + (given.length % 9)}-1${given.length % 10}`,
        ...extra,
      } as never);
    people.ada = await person('Ada', {
      telecom: [{ system: 'phone', use: 'mobile', value: '+15550100001' }],
    });
    people.ben = await person('Benedict', {
      telecom: [{ system: 'phone', use: 'mobile', value: '+15550100002' }],
    });
    people.cy = await person('Cyrus', {
      deceasedBoolean: true,
      telecom: [{ system: 'phone', use: 'mobile', value: '+15550100003' }],
    });
    people.eve = await person('Evelyn-Rose', {});
    await platform.create({
      resourceType: 'Patient',
      name: [{ family: 'Elsewhere', given: ['Zed'] }],
    } as never);
    await platform.create(
      channelConsent({ patient: people.ada, permit: true, mode: 'SMSWRIT', purpose: 'marketing' }) as never,
    );
  });

  const post = (path: string, body: object, init: { token?: string; key?: string } = {}) =>
    platform.fetch(path, {
      method: 'POST',
      token: init.token ?? coordinator,
      headers: init.key ? { 'idempotency-key': init.key } : {},
      body: JSON.stringify(body),
    });
  const plan = {
    name: 'Flu clinic Saturday',
    purpose: 'marketing',
    text: 'Flu shots this Saturday 9-12, no appointment needed.',
    cohort: 'Patient?family=Campaignson',
    perHour: 3600,
  };

  test('the preview says who would get what, and who would not and why, writing nothing', async () => {
    const response = await post('/api/engagement/campaigns/preview', plan);
    assert.equal(response.status, 200, await response.clone().text());
    const preview = (await response.json()) as {
      people: number;
      channels: Record<string, number>;
      notSent: number;
      outcomes: { patient: string; outcome: { send: boolean; channel?: string; reason?: string } }[];
    };
    assert.equal(preview.people, 4);
    assert.deepEqual(preview.channels, { sms: 1 });
    const outcome = (id: string) => preview.outcomes.find((row) => row.patient === `Patient/${id}`)?.outcome;
    assert.equal(outcome(people.ada!)?.channel, 'sms');
    assert.match(outcome(people.ben!)?.reason ?? '', /marketing on sms needs an explicit permit/);
    assert.match(outcome(people.cy!)?.reason ?? '', /deceased/);
    assert.match(outcome(people.eve!)?.reason ?? '', /no contact point/);
    const written = await platform.fetch(
      '/fhir/CommunicationRequest?category=' + `${PURPOSE_SYSTEM}|marketing`,
    );
    assert.equal(((await written.json()) as { total?: number }).total ?? 0, 0);
  });

  test('a launch sends at its pace to the permitted only; a retried launch sends nothing twice; the report adds up', async () => {
    const first = await post('/api/engagement/campaigns', plan, { key: 'flu-clinic-2026' });
    assert.equal(first.status, 201, await first.clone().text());
    const again = await post('/api/engagement/campaigns', plan, { key: 'flu-clinic-2026' });
    assert.equal(again.status, 201);
    const requests = await platform.fetch(
      `/fhir/CommunicationRequest?group-identifier=${CAMPAIGN_SYSTEM}|flu-clinic-2026&_count=50`,
    );
    const due = ((await requests.json()) as Bundle<CommunicationRequest>).entry!.map((entry) =>
      Date.parse(entry.resource!.occurrenceDateTime!),
    );
    assert.equal(due.length, 4, 'one request per person, none from the retried launch');
    const sorted = due.sort((a, b) => a - b);
    assert.deepEqual(
      sorted.slice(1).map((at, index) => at - sorted[index]!),
      [1000, 1000, 1000],
      'at 3600 an hour, one a second',
    );
    const report = await until(async () => {
      const answer = await platform.fetch('/api/engagement/campaigns/flu-clinic-2026', {
        token: coordinator,
      });
      const body = (await answer.json()) as {
        people: number;
        requests: { scheduled: number; due: number; deferred: number; sent: number; stopped: number };
        stopReasons: { reason: string; count: number }[];
        channels: Record<string, Record<string, number>>;
      };
      return body.requests.sent + body.requests.stopped === 4 ? body : undefined;
    });
    assert.deepEqual(report.requests, { scheduled: 0, due: 0, deferred: 0, sent: 1, stopped: 3 });
    assert.equal(
      report.stopReasons.reduce((sum, each) => sum + each.count, 0),
      3,
    );
    assert.equal(
      Object.values(report.channels.sms ?? {}).reduce((a, b) => a + b, 0),
      1,
    );
    assert.deepEqual(
      twilio.accepted.map((message) => [message.to, message.text]),
      [['+15550100001', plan.text]],
    );
    const list = await platform.fetch('/api/engagement/campaigns', { token: coordinator });
    const { campaigns } = (await list.json()) as { campaigns: { id: string; people: number }[] };
    assert.deepEqual(
      campaigns.map((each) => [each.id, each.people]),
      [['flu-clinic-2026', 4]],
    );
  });

  test('bad plans are 400 naming the field; roles without the operation get 403', async () => {
    const cases: [object, string][] = [
      [{ ...plan, purpose: 'spam' }, 'purpose'],
      [{ ...plan, cohort: 'Practitioner?name=x' }, 'cohort'],
      [{ ...plan, perHour: 0 }, 'perHour'],
      [{ ...plan, startAt: 'tomorrow' }, 'startAt'],
      [{ ...plan, name: '' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await post('/api/engagement/campaigns/preview', body);
      assert.equal(response.status, 400, field);
      const outcome = (await response.json()) as OperationOutcome;
      assert.deepEqual(outcome.issue[0]?.expression, [field]);
    }
    const frontDesk = await staffToken(platform, 'front-desk');
    assert.equal((await post('/api/engagement/campaigns/preview', plan, { token: frontDesk })).status, 403);
    const list = await platform.fetch('/api/engagement/campaigns', { token: frontDesk });
    assert.equal(list.status, 403);
  });
});

/** Polls until the check answers (the engine delivers in the background). */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer !== undefined) return answer;
    if (Date.now() > deadline) throw new Error('timed out waiting for the campaign to go out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
