import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/** Issue 18: a booking without check-in becomes a no-show N minutes after its start, automatically. */
let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend, { NO_SHOW_AFTER_MINUTES: '10' });
});
after(() => platform?.stop());

const MINUTE = 60_000;

async function book(startsIn: number, status = 'booked'): Promise<string> {
  const patient = await platform.create({ resourceType: 'Patient' } as never);
  const start = new Date(Date.now() + startsIn * MINUTE);
  return platform.create({
    resourceType: 'Appointment',
    status,
    start: start.toISOString(),
    end: new Date(start.getTime() + 15 * MINUTE).toISOString(),
    participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
  } as never);
}

const statusOf = async (id: string) =>
  ((await (await platform.fetch(`/fhir/Appointment/${id}`)).json()) as Appointment).status;

test('10 minutes after the start without check-in → no-show; arrived and future bookings stay', async () => {
  const missed = await book(-30);
  const arrived = await book(-20, 'arrived');
  const later = await book(60);
  await platform.worker.drain();
  assert.equal(await statusOf(missed), 'noshow');
  assert.equal(await statusOf(arrived), 'arrived');
  assert.equal(await statusOf(later), 'booked');
  // The front desk's board shows it as such; marking it again is a conflict, not a second no-show.
  const token = await staffToken(platform, 'front-desk');
  const again = await platform.fetch(`/api/scheduling/appointments/${missed}/no-show`, {
    method: 'POST',
    token,
  });
  assert.equal(again.status, 409);
});
