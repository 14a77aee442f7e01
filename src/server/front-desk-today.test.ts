import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Encounter } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend);
});
after(() => platform.stop());

test('the front desk’s day: states, check-in opens an Encounter and the wait is counted, no-shows are marked', async () => {
  const token = await staffToken(platform, 'front-desk');
  const location = await platform.create({ resourceType: 'Location', name: 'Front' } as never);
  const start = new Date(Date.now() + 30 * 60_000);
  const day = start.toISOString().slice(0, 10);
  const appointment = (patient: string, status: string, answer: string) =>
    platform.create({
      resourceType: 'Appointment',
      status,
      start: start.toISOString(),
      end: new Date(start.getTime() + 15 * 60_000).toISOString(),
      participant: [
        { actor: { reference: patient }, status: answer },
        { actor: { reference: `Location/${location}` }, status: 'accepted' },
      ],
    } as never);
  const patients = [];
  for (let n = 0; n < 3; n++)
    patients.push(`Patient/${await platform.create({ resourceType: 'Patient' } as never)}`);
  const confirmed = await appointment(patients[0]!, 'booked', 'accepted');
  const coming = await appointment(patients[1]!, 'booked', 'needs-action');
  const absent = await appointment(patients[2]!, 'pending', 'needs-action');
  const checkIn = await platform.fetch(`/api/scheduling/appointments/${coming}/check-in`, {
    method: 'POST',
    token,
  });
  assert.equal(checkIn.status, 201, await checkIn.clone().text());
  assert.equal(((await checkIn.json()) as Encounter).status, 'arrived');
  const again = await platform.fetch(`/api/scheduling/appointments/${coming}/check-in`, {
    method: 'POST',
    token,
  });
  assert.equal(again.status, 409);
  const noShow = await platform.fetch(`/api/scheduling/appointments/${absent}/no-show`, {
    method: 'POST',
    token,
  });
  assert.equal(((await noShow.json()) as Appointment).status, 'noshow');
  const board = await platform.fetch(`/api/scheduling/today?location=Location/${location}&date=${day}`, {
    token,
  });
  const { items } = (await board.json()) as {
    items: { appointment: string; state: string; waitingMinutes?: number }[];
  };
  const stateOf = (id: string) => items.find((item) => item.appointment === `Appointment/${id}`);
  assert.equal(stateOf(confirmed)?.state, 'confirmed');
  assert.equal((stateOf(confirmed) as { location?: string }).location, `Location/${location}`);
  assert.equal(stateOf(coming)?.state, 'arrived');
  assert.equal(stateOf(coming)?.waitingMinutes, 0);
  assert.equal(stateOf(absent)?.state, 'noshow');
  assert.equal((await platform.fetch('/api/scheduling/today?date=tomorrow', { token })).status, 400);
});
