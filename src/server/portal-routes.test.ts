import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { patientToken, staffToken } from './testing/role-tokens.ts';
import { createGpSchedule, type SchedulingFixture } from './testing/scheduling-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

type Answer = Appointment & Pick<OperationOutcome, 'issue'>;

describeEachBackend('the portal routes: booking for oneself, and who saw my record', (backend) => {
  let platform: TestPlatform;
  let clinic: SchedulingFixture;
  let maya = '';
  let other = '';
  let mayaToken = '';
  let otherToken = '';
  before(async () => {
    platform = await startTestPlatform(backend);
    clinic = await createGpSchedule(platform);
    maya = await platform.create({
      resourceType: 'Patient',
      name: [{ family: 'Okafor', given: ['Maya'] }],
    } as never);
    other = await platform.create({ resourceType: 'Patient', name: [{ family: 'Other' }] } as never);
    mayaToken = await patientToken(platform, maya);
    otherToken = await patientToken(platform, other);
  });
  after(() => platform.stop());

  const call = (path: string, init: { token: string; body?: unknown }) =>
    platform.call<Answer>(path, { ...init, method: 'POST' });

  const schedule = () => clinic.schedule.replace('Schedule/', '');
  const at = (hour: number, minute = 0) =>
    clinic.monday.set({ hour, minute }).toUTC().toISO({ suppressMilliseconds: true })!.replace('Z', '.000Z');

  test('free times are offered to the patient herself; staff and systems get 403', async () => {
    const window = `start=${encodeURIComponent(at(0))}&end=${encodeURIComponent(clinic.monday.plus({ days: 1 }).toUTC().toISO()!)}`;
    const found = await call(`/api/portal/free-times?${window}&service-type=124`, { token: mayaToken });
    assert.equal(found.status, 200);
    const times = (found.body as unknown as Bundle).entry!.map((e) => e.resource as Appointment);
    assert.equal(times[0]!.start, at(9));
    assert.ok(times[0]!.participant.some((p) => p.actor?.reference === `Patient/${maya}`));
    const staff = await call(`/api/portal/free-times?${window}`, {
      token: await staffToken(platform, 'front-desk'),
    });
    assert.equal(staff.status, 403);
    assert.equal((await call('/api/portal/access-log', { token: await platform.token() })).status, 403);
  });

  test('she books a time she chose, for herself only; another patient can neither cancel nor move it', async () => {
    const booked = await call('/api/portal/appointments', {
      token: mayaToken,
      body: {
        schedule: schedule(),
        start: at(9, 20),
        participant: [{ actor: { reference: `Patient/${other}` } }],
      },
    });
    assert.equal(booked.status, 201);
    assert.equal(booked.body.status, 'booked');
    const patients = booked.body.participant.filter((p) => p.actor?.reference?.startsWith('Patient/'));
    assert.deepEqual(
      patients.map((p) => p.actor?.reference),
      [`Patient/${maya}`],
    );
    const taken = await call('/api/portal/appointments', {
      token: otherToken,
      body: { schedule: schedule(), start: at(9, 20) },
    });
    assert.equal(taken.status, 409);
    const id = booked.body.id!;
    assert.equal(
      (await call(`/api/portal/appointments/${id}/cancel`, { token: otherToken, body: {} })).status,
      404,
    );
    const move = { schedule: schedule(), start: at(10) };
    assert.equal(
      (await call(`/api/portal/appointments/${id}/reschedule`, { token: otherToken, body: move })).status,
      404,
    );
    const moved = await call(`/api/portal/appointments/${id}/reschedule`, { token: mayaToken, body: move });
    assert.equal(moved.status, 201);
    assert.equal(moved.body.start, at(10));
    const cancelled = await call(`/api/portal/appointments/${moved.body.id!}/cancel`, {
      token: mayaToken,
      body: {},
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    const again = await call(`/api/portal/appointments/${moved.body.id!}/cancel`, {
      token: mayaToken,
      body: {},
    });
    assert.equal(again.status, 409);
  });

  test('she confirms her own unconfirmed appointment (accepted, then booked); another patient gets 404', async () => {
    const pending = await platform.create({
      resourceType: 'Appointment',
      status: 'pending',
      start: at(15),
      end: at(15, 20),
      participant: [
        { actor: { reference: `Patient/${maya}` }, status: 'needs-action' },
        { actor: { reference: clinic.practitioner }, status: 'accepted' },
      ],
    } as never);
    const path = `/api/portal/appointments/${pending}/confirm`;
    assert.equal((await call(path, { token: otherToken, body: {} })).status, 404);
    const confirmed = await call(path, { token: mayaToken, body: {} });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, 'booked', JSON.stringify(confirmed.body));
    const stored = (await (await platform.fetch(`/fhir/Appointment/${pending}`)).json()) as Appointment;
    assert.deepEqual(
      stored.participant.map((p) => p.status),
      ['accepted', 'accepted'],
    );
    const cancelled = await call(`/api/portal/appointments/${pending}/cancel`, {
      token: mayaToken,
      body: {},
    });
    assert.equal(cancelled.status, 200);
    assert.equal((await call(path, { token: mayaToken, body: {} })).status, 409);
  });

  test('she changes her appointments only through the portal: a direct PUT or POST is refused and nothing changes', async () => {
    const mine = await platform.create({
      resourceType: 'Appointment',
      status: 'booked',
      start: at(16),
      end: at(16, 20),
      participant: [
        { actor: { reference: `Patient/${maya}` }, status: 'accepted' },
        { actor: { reference: clinic.practitioner }, status: 'accepted' },
      ],
    } as never);
    const before = (await (await platform.fetch(`/fhir/Appointment/${mine}`)).json()) as Appointment;
    const rewrites = [
      { ...before, status: 'fulfilled' },
      { ...before, start: at(8), end: at(8, 20) },
      { ...before, participant: [before.participant[0]!] },
    ];
    for (const body of rewrites) {
      const put = await platform.fetch(`/fhir/Appointment/${mine}`, {
        method: 'PUT',
        token: mayaToken,
        body: JSON.stringify(body),
      });
      assert.equal(put.status, 403, JSON.stringify(body));
    }
    const posted = await platform.fetch('/fhir/Appointment', {
      method: 'POST',
      token: mayaToken,
      body: JSON.stringify({ ...before, id: undefined, meta: undefined, start: at(7), end: at(7, 20) }),
    });
    assert.equal(posted.status, 403);
    const after = (await (await platform.fetch(`/fhir/Appointment/${mine}`)).json()) as Appointment;
    assert.equal(after.meta?.versionId, before.meta?.versionId);
  });

  test('her messages name her as the sender: one posing as the clinic is refused, naming the element', async () => {
    const message = (sender: string) => ({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${maya}` },
      sender: { reference: sender },
      payload: [{ contentString: 'Your results are normal, no need to come in.' }],
    });
    const posing = await platform.fetch('/fhir/Communication', {
      method: 'POST',
      token: mayaToken,
      body: JSON.stringify(message(clinic.practitioner)),
    });
    assert.equal(posing.status, 403);
    const outcome = (await posing.json()) as OperationOutcome;
    assert.deepEqual(outcome.issue[0]?.expression, ['Communication.sender']);
    const asOther = await platform.fetch('/fhir/Communication', {
      method: 'POST',
      token: mayaToken,
      body: JSON.stringify(message(`Patient/${other}`)),
    });
    assert.equal(asOther.status, 404, 'another patient: as if she were not there');
    const own = await platform.fetch('/fhir/Communication', {
      method: 'POST',
      token: mayaToken,
      body: JSON.stringify(message(`Patient/${maya}`)),
    });
    assert.equal(own.status, 201);
  });

  test('bad choices are 400 naming the field, or 409 for a time that is not free', async () => {
    const noSchedule = await call('/api/portal/appointments', { token: mayaToken, body: { start: at(9) } });
    assert.equal(noSchedule.status, 400);
    assert.deepEqual(noSchedule.body.issue?.[0]?.expression, ['schedule']);
    const badStart = await call('/api/portal/appointments', {
      token: mayaToken,
      body: { schedule: schedule(), start: 'soon' },
    });
    assert.equal(badStart.status, 400);
    const closed = await call('/api/portal/appointments', {
      token: mayaToken,
      body: { schedule: schedule(), start: at(13) },
    });
    assert.equal(closed.status, 409);
  });

  test('who saw my record: staff who read it, by name and role; not herself, not other patients’ readers', async () => {
    const nurse = await staffToken(platform, 'nurse');
    assert.equal((await platform.fetch(`/fhir/Patient/${maya}`, { token: nurse })).status, 200);
    assert.equal(
      (await platform.fetch(`/fhir/Patient/${other}`, { token: await staffToken(platform, 'billing') }))
        .status,
      200,
    );
    await platform.fetch(`/fhir/Patient/${maya}`, { token: mayaToken });
    const log = await call('/api/portal/access-log', { token: mayaToken });
    assert.equal(log.status, 200);
    const accesses = (log.body as unknown as { accesses: { who: string; role: string; what?: string }[] })
      .accesses;
    assert.ok(accesses.some((a) => a.who === 'nurse' && a.role === 'Nurse' && a.what === 'Patient'));
    assert.ok(!accesses.some((a) => a.role === 'Billing'), 'another patient’s reader is not listed');
    assert.ok(!accesses.some((a) => a.role === 'Patient'), 'her own reads are not listed');
  });

  test('consent per channel and purpose: her choice is a Consent engagement reads, the latest one active', async () => {
    type States = { states: { channel: string; purpose: string; permitted: boolean; explicit: boolean }[] };
    const stateOf = (body: unknown, channel: string, purpose: string) =>
      (body as States).states.find((s) => s.channel === channel && s.purpose === purpose);
    const before = await call('/api/portal/consents', { token: mayaToken });
    assert.deepEqual(stateOf(before.body, 'sms', 'appointment-reminder'), {
      channel: 'sms',
      purpose: 'appointment-reminder',
      permitted: true,
      explicit: false,
    });
    const deny = { channel: 'sms', purpose: 'appointment-reminder', decision: 'deny' };
    const denied = await call('/api/portal/consents', { token: mayaToken, body: deny });
    assert.equal(denied.status, 200);
    assert.equal(stateOf(denied.body, 'sms', 'appointment-reminder')?.permitted, false);
    assert.equal(stateOf(denied.body, 'email', 'appointment-reminder')?.permitted, true);
    const permitted = await call('/api/portal/consents', {
      token: mayaToken,
      body: { ...deny, decision: 'permit' },
    });
    assert.equal(stateOf(permitted.body, 'sms', 'appointment-reminder')?.permitted, true);
    const consents = (await (await platform.fetch(`/fhir/Consent?patient=Patient/${maya}`)).json()) as Bundle;
    const statuses = consents.entry!.map((e) => (e.resource as { status: string }).status).sort();
    assert.deepEqual(statuses, ['active', 'inactive']);
    const others = (await call('/api/portal/consents', { token: otherToken })).body;
    assert.equal(stateOf(others, 'sms', 'appointment-reminder')?.explicit, false);
    const bad = await call('/api/portal/consents', {
      token: mayaToken,
      body: { ...deny, channel: 'pigeon' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.issue?.[0]?.expression, ['channel']);
    const staff = await staffToken(platform, 'front-desk');
    assert.equal((await call('/api/portal/consents', { token: staff, body: deny })).status, 403);
  });
});
