import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { PURPOSE_SYSTEM } from '../engagement/index.ts';
import { channelConsent } from '../engagement/testing/channel-consent.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { grantFor, seedProxyFixture, type ProxyFixture } from './testing/proxy-fixture.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

interface View {
  own?: { start: string; end: string };
  clinic?: { start: string; end: string };
  issue?: OperationOutcome['issue'];
}

/** `HH:MM` in UTC (the clinic's zone here), `hours` from now. */
const utcHHMM = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);

/**
 * Her own quiet hours (issue 20): set in the portal, stored on her Patient record, read by the
 * engine at the moment of sending — a queued SMS is held back by her window, not the clinic's —
 * and a change applies to what is queued at once.
 */
describeEachBackend('portal quiet hours: hers, not the clinic’s, at the moment of sending', (backend) => {
  const clinic = { start: utcHHMM(5), end: utcHHMM(6) };
  let platform: TestPlatform;
  let f: ProxyFixture;
  before(async () => {
    // The clinic's quiet hours are well away from now: only hers can hold a message back.
    platform = await startTestPlatform(backend, {
      QUIET_HOURS: `${clinic.start}-${clinic.end}`,
      CLINIC_TIME_ZONE: 'UTC',
    });
    f = await seedProxyFixture(platform);
    const maya = await platform.repository.read('Patient', f.maya);
    await platform.repository.update({
      ...maya,
      telecom: [{ system: 'phone', use: 'mobile', value: '+15550001111', rank: 1 }],
    });
    await platform.create(channelConsent({ patient: f.maya, permit: true, mode: 'SMSWRIT' }));
  });
  after(() => platform.stop());

  const call = async (
    method: string,
    init: { token: string; body?: unknown; actingFor?: string },
  ): Promise<{ status: number; body: View }> => {
    const response = await platform.fetch('/api/portal/quiet-hours', {
      method,
      token: init.token,
      headers: init.actingFor ? { 'x-acting-for': init.actingFor } : {},
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as View };
  };

  const queueSms = () =>
    platform.create({
      resourceType: 'CommunicationRequest',
      status: 'active',
      category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap' }] }],
      medium: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }],
        },
      ],
      recipient: [{ reference: `Patient/${f.maya}` }],
      subject: { reference: `Patient/${f.maya}` },
      payload: [{ contentString: 'Riverside: your check-up is due.' }],
      occurrenceDateTime: new Date().toISOString(),
    } as never);
  const attemptsOf = async (request: string) =>
    (
      (await platform.repository.search({
        resourceType: 'Communication',
        params: [['based-on', `CommunicationRequest/${request}`]],
      })) as Bundle<Communication>
    ).entry ?? [];
  const runAt = async (request: string) => {
    const rows = await platform.db.query<{ run_at: Date | string }>(
      `SELECT run_at FROM job WHERE key = $1 AND status = 'ready'`,
      [`CommunicationRequest/${request}`],
    );
    const at = rows.rows[0]?.run_at;
    return at === undefined ? undefined : new Date(at);
  };

  test('she sets her quiet hours around now: a queued SMS waits for the end of her window', async () => {
    const own = { start: utcHHMM(-1), end: utcHHMM(1) };
    const set = await call('PUT', { token: f.tokens.maya, body: own });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual((await call('GET', { token: f.tokens.maya })).body.own, own);
    const stored = await platform.repository.read<Patient>('Patient', f.maya);
    assert.ok(JSON.stringify(stored.extension).includes(`"valueTime":"${own.end}:00"`));
    const request = await queueSms();
    await platform.worker.drain();
    assert.equal((await attemptsOf(request)).length, 0, 'nothing sent in her quiet hours');
    const due = await runAt(request);
    assert.equal(due?.toISOString().slice(11, 16), own.end, 'put back until her window ends');
  });

  test('she moves her quiet hours away from now: the held SMS goes at once', async () => {
    const [held] = (
      (await platform.repository.search({
        resourceType: 'CommunicationRequest',
        params: [
          ['subject', `Patient/${f.maya}`],
          ['status', 'active'],
        ],
      })) as Bundle
    ).entry!;
    const moved = await call('PUT', { token: f.tokens.maya, body: { start: utcHHMM(2), end: utcHHMM(3) } });
    assert.equal(moved.status, 200);
    await platform.worker.drain();
    const attempts = await attemptsOf(held!.resource!.id!);
    assert.equal(attempts.length, 1, 'sent once, now');
    assert.equal(attempts[0]!.resource!.medium?.[0]?.coding?.[0]?.code, 'SMSWRIT');
    const back = await call('DELETE', { token: f.tokens.maya });
    assert.equal(back.status, 200);
    assert.equal(back.body.own, undefined);
    assert.deepEqual(back.body.clinic, clinic);
  });

  test('bad times are a 400 naming the field; staff, other patients and proxies cannot set hers', async () => {
    const wrong: [object, string][] = [
      [{ start: '25:00', end: '07:00' }, 'start'],
      [{ start: '22:00' }, 'end'],
      [{ start: '22:00', end: '22:00' }, 'end'],
    ];
    for (const [body, expression] of wrong) {
      const refused = await call('PUT', { token: f.tokens.maya, body });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body.issue?.[0]?.expression, [expression]);
    }
    assert.equal((await call('GET', { token: await staffToken(platform, 'front-desk') })).status, 403);
    await platform.create(
      grantFor({ patient: f.ada, account: f.mayaAccount, scope: ['record', 'appointments'] }),
    );
    const proxy = await call('PUT', {
      token: f.tokens.maya,
      actingFor: f.ada,
      body: { start: '22:00', end: '07:00' },
    });
    assert.equal(proxy.status, 403, 'her quiet hours are hers alone');
    await call('PUT', { token: f.tokens.ada, body: { start: '20:00', end: '06:00' } });
    assert.equal((await call('GET', { token: f.tokens.maya })).body.own, undefined, 'Ada set only her own');
  });
});
