import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, OperationOutcome, Patient, Subscription } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { SECRET_URL, signatureOf } from '../automation/index.ts';
import { startHookReceiver } from '../automation/testing/hook-receiver.ts';
import { platformBesidePerSuite } from './testing/platform-beside.ts';
import { staffToken } from './testing/role-tokens.ts';

const SECRET = 'shared-secret-for-tests';

function subscription(endpoint: string, extra: Partial<Subscription> = {}): Subscription {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'tests',
    criteria: 'Observation?status=final',
    channel: {
      type: 'rest-hook',
      endpoint,
      payload: 'application/fhir+json',
      header: ['Authorization: Bearer t0k'],
    },
    extension: [{ url: SECRET_URL, valueString: SECRET }],
    ...extra,
  };
}

function observation(patient: string, status: Observation['status'], label?: string): Observation {
  return {
    resourceType: 'Observation',
    status,
    code: { text: 'HbA1c' },
    subject: { reference: `Patient/${patient}` },
    ...(label
      ? { meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: label }] } }
      : {}),
  };
}

const patientNamed = (family: string): Patient => ({ resourceType: 'Patient', name: [{ family }] });

describeEachBackend('FHIR Subscriptions: rest-hook notifications (issue 17)', (backend) => {
  const { platform, fake: hooks } = platformBesidePerSuite(backend, {
    start: startHookReceiver,
    env: () => ({
      // Server PostgreSQL allows no host by default (the embedded demo allows loopback).
      ...(backend.name === 'postgres' ? { SUBSCRIPTION_ALLOWED_HOSTS: '127.0.0.1' } : {}),
      SUBSCRIPTION_RETRY_BASE_SECONDS: '1',
      SUBSCRIPTION_MAX_ATTEMPTS: '3',
    }),
    stop: (receiver) => receiver.close(),
  });

  const read = async (id: string) =>
    (await (await platform.fetch(`/fhir/Subscription/${id}`)).json()) as Subscription;

  test('an endpoint outside SUBSCRIPTION_ALLOWED_HOSTS is refused at creation (SSRF)', async () => {
    for (const endpoint of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.7:5432/',
      'file:///etc/passwd',
    ]) {
      const response = await platform.fetch('/fhir/Subscription', {
        method: 'POST',
        body: JSON.stringify(subscription(endpoint)),
      });
      assert.equal(response.status, 400, endpoint);
      const outcome = (await response.json()) as OperationOutcome;
      assert.equal(outcome.issue[0]?.expression?.[0], 'Subscription.channel.endpoint');
    }
  });

  test('only integration and admin may create Subscriptions (role matrix)', async () => {
    const token = await staffToken(platform, 'care-coordinator');
    const response = await platform.fetch('/fhir/Subscription', {
      method: 'POST',
      token,
      body: JSON.stringify(subscription(`${hooks.url}/coordinator`)),
    });
    assert.equal(response.status, 403);
  });

  test('delivers matches signed, in commit order, retrying a 500; a replay sends nothing twice', async () => {
    const id = await platform.create(subscription(`${hooks.url}/hook`));
    assert.equal((await read(id)).status, 'requested');
    await platform.worker.drain();
    const active = await read(id);
    assert.equal(active.status, 'active');
    const patient = await platform.create(patientNamed('Okafor'));
    hooks.failNext([500]);
    const first = await platform.create(observation(patient, 'final'));
    await platform.create(observation(patient, 'preliminary'));
    // The owner (the admin client) holds no PSY label: the checkpoint keeps it out of notifications.
    await platform.create(observation(patient, 'final', 'PSY'));
    const third = await platform.create(observation(patient, 'final'));
    await platform.worker.drain();
    const mine = hooks.received.filter((each) => each.path === '/hook');
    assert.deepEqual(
      mine.map((each) => [each.status, (JSON.parse(each.body) as Observation).id]),
      [
        [500, first],
        [200, first],
        [200, third],
      ],
    );
    for (const each of mine) {
      assert.equal(each.headers['x-signature'], signatureOf(SECRET, each.body));
      assert.equal(each.headers.authorization, 'Bearer t0k');
      assert.equal(each.headers['content-type'], 'application/fhir+json');
    }
    assert.equal(mine[0]!.headers['idempotency-key'], mine[1]!.headers['idempotency-key']);
    // Replay: the watcher reads every event again, and the same Observation is written again.
    await platform.db.query(
      `UPDATE event_subscription SET last_tx_id = '0', last_seq = 0 WHERE subscriber = 'fhir-subscriptions'`,
    );
    const again = (await (await platform.fetch(`/fhir/Observation/${third}`)).json()) as Observation;
    await platform.fetch(`/fhir/Observation/${third}`, { method: 'PUT', body: JSON.stringify(again) });
    await platform.worker.drain();
    assert.equal(hooks.received.filter((each) => each.path === '/hook').length, 3);
  });

  test('a delivery run sends its notifications first, then moves its cursor past them in one step', async () => {
    const id = await platform.create(subscription(`${hooks.url}/run`));
    await platform.worker.drain();
    const cursor = async () =>
      (
        await platform.db.query<{ at: string }>(
          `SELECT last_tx_id::text || '/' || last_seq AS at FROM event_subscription WHERE subscriber = $1`,
          [`fhir-subscription:${id}`],
        )
      ).rows[0]?.at;
    const cursors: unknown[] = [];
    hooks.beforeAnswer('/run', async () => cursors.push(await cursor()));
    const patient = await platform.create(patientNamed('Haddad'));
    const entry = [1, 2, 3].map(() => ({
      resource: observation(patient, 'final'),
      request: { method: 'POST', url: 'Observation' },
    }));
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry };
    const written = await platform.fetch('/fhir', { method: 'POST', body: JSON.stringify(bundle) });
    assert.equal(written.status, 200, await written.text());
    await platform.worker.drain();
    assert.equal(cursors.length, 3);
    assert.deepEqual(new Set(cursors).size, 1, 'one run; no cursor move between its notifications');
    assert.notEqual(await cursor(), cursors[0], 'moved past them at the end');
  });

  test('without a payload the notification is empty; a receiver that keeps failing puts it in error', async () => {
    hooks.failAlways('/broken', 503);
    const empty = await platform.create(
      subscription(`${hooks.url}/ping`, { channel: { type: 'rest-hook', endpoint: `${hooks.url}/ping` } }),
    );
    const broken = await platform.create(subscription(`${hooks.url}/broken`));
    await platform.worker.drain();
    const patient = await platform.create(patientNamed('Lindqvist'));
    await platform.create(observation(patient, 'final'));
    await platform.worker.drain();
    const pings = hooks.received.filter((each) => each.path === '/ping');
    assert.equal(pings.length, 1);
    assert.equal(pings[0]!.body, '');
    assert.match(String(pings[0]!.headers['x-signature']), /^[0-9a-f]{64}$/);
    assert.equal((await read(empty)).status, 'active');
    const failed = await read(broken);
    assert.equal(failed.status, 'error');
    assert.match(failed.error ?? '', /HTTP 503/);
    assert.equal(hooks.received.filter((each) => each.path === '/broken').length, 3);
  });

  test('a Subscription changed between deliveries is delivered in its new version, not the kept one', async () => {
    const id = await platform.create(subscription(`${hooks.url}/v1`));
    await platform.worker.drain();
    const patient = await platform.create(patientNamed('Moreau'));
    await platform.create(observation(patient, 'final'));
    await platform.worker.drain();
    // The delivery job now keeps this version: the change must reach it through the stream.
    const moved = {
      ...(await read(id)),
      channel: { type: 'rest-hook' as const, endpoint: `${hooks.url}/v2` },
    };
    const change = await platform.fetch(`/fhir/Subscription/${id}`, {
      method: 'PUT',
      body: JSON.stringify(moved),
    });
    assert.equal(change.status, 200, await change.text());
    const second = await platform.create(observation(patient, 'final'));
    await platform.worker.drain();
    assert.equal(hooks.received.filter((each) => each.path === '/v1').length, 1);
    assert.deepEqual(
      hooks.received
        .filter((each) => each.path === '/v2')
        .map((each) => [each.body, String(each.headers['idempotency-key']).split('/').slice(2, 4).join('/')]),
      [['', `Observation/${second}`]],
    );
  });

  test('a client switches a Subscription off with status off; nothing more is delivered, and requested turns it on again', async () => {
    const id = await platform.create(subscription(`${hooks.url}/off`));
    await platform.worker.drain();
    assert.equal((await read(id)).status, 'active');
    const patient = await platform.create(patientNamed('Lindqvist'));
    const off = await platform.fetch(`/fhir/Subscription/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...(await read(id)), status: 'off' }),
    });
    assert.equal(off.status, 200, await off.text());
    await platform.create(observation(patient, 'final'));
    await platform.worker.drain();
    assert.equal((await read(id)).status, 'off', 'it stays off');
    assert.equal(
      hooks.received.filter((each) => each.path === '/off').length,
      0,
      'nothing delivered while off',
    );
    const on = await platform.fetch(`/fhir/Subscription/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...(await read(id)), status: 'requested' }),
    });
    assert.equal(on.status, 200, await on.text());
    await platform.worker.drain();
    assert.equal((await read(id)).status, 'active');
  });
});
