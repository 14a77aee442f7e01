import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { book as bookProposal, createGpSchedule, findTimes, operate } from './testing/scheduling-fixture.ts';

/** Issue 18: a booking without check-in becomes a no-show N minutes after its start, automatically. */
describeEachBackend('automatic no-show', (backend) => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(backend, { NO_SHOW_AFTER_MINUTES: '10' });
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

  const read = async (id: string) =>
    (await (await platform.fetch(`/fhir/Appointment/${id}`)).json()) as Appointment;

  /** The automatic no-show checks of an Appointment, by key (`{id}@{start}`), with their state. */
  async function checks(id: string): Promise<Record<string, string>> {
    const rows = await platform.db.query<{ key: string; status: string }>(
      `SELECT key, status FROM job WHERE queue = 'scheduling-noshow' AND key LIKE $1`,
      [`${id}@%`],
    );
    return Object.fromEntries(rows.rows.map((row) => [row.key, row.status]));
  }

  /**
   * Lets a check's time pass for the queue alone: the queue runs what is due by the database's
   * clock, so the old time's check becomes due now instead of after a real wait.
   */
  const fallDue = (key: string) =>
    platform.db.query(`UPDATE job SET run_at = now() WHERE queue = 'scheduling-noshow' AND key = $1`, [key]);

  test('10 minutes after the start without check-in → no-show; arrived and future bookings stay', async () => {
    const missed = await book(-30);
    const arrived = await book(-20, 'arrived');
    const later = await book(60);
    await platform.worker.drain();
    assert.equal((await read(missed)).status, 'noshow');
    assert.equal((await read(arrived)).status, 'arrived');
    assert.equal((await read(later)).status, 'booked');
    // The front desk's board shows it as such; marking it again is a conflict, not a second no-show.
    const token = await staffToken(platform, 'front-desk');
    const again = await platform.fetch(`/api/scheduling/appointments/${missed}/no-show`, {
      method: 'POST',
      token,
    });
    assert.equal(again.status, 409);
  });

  test('a booking moved to a later time: its old check, once due, does nothing; the new time has its own', async () => {
    const id = await book(60);
    await platform.worker.drain();
    const before = await read(id);
    const oldKey = `${id}@${before.start}`;
    assert.deepEqual(await checks(id), { [oldKey]: 'ready' });
    // Moved in place, as an HL7 SIU S13 reschedule does: the same Appointment, two hours later.
    const start = new Date(Date.parse(before.start!) + 120 * MINUTE).toISOString();
    const end = new Date(Date.parse(before.end!) + 120 * MINUTE).toISOString();
    const moved = await platform.fetch(`/fhir/Appointment/${id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...before, start, end }),
    });
    assert.equal(moved.status, 200);
    await platform.worker.drain();
    const newKey = `${id}@${start}`;
    assert.deepEqual(await checks(id), { [oldKey]: 'ready', [newKey]: 'ready' });
    await fallDue(oldKey);
    await platform.worker.drain();
    assert.deepEqual(await checks(id), { [oldKey]: 'done', [newKey]: 'ready' }, 'the old check ran');
    assert.equal((await read(id)).status, 'booked');
  });

  test('$reschedule (cancel + book): the cancelled booking’s check, once due, leaves it cancelled', async () => {
    const clinic = await createGpSchedule(platform);
    const patient = `Patient/${await platform.create({ resourceType: 'Patient' } as never)}`;
    const [first, second] = await findTimes(platform, { fixture: clinic, patient });
    const booked = await bookProposal(platform, { proposal: first!, patient });
    await platform.worker.drain();
    const oldKey = `${booked.body.id}@${booked.body.start}`;
    assert.deepEqual(await checks(booked.body.id!), { [oldKey]: 'ready' });
    const moved = await operate(platform, {
      path: `/fhir/Appointment/${booked.body.id}/$reschedule`,
      parameter: [{ name: 'appointment', resource: second }],
    });
    assert.equal(moved.status, 201, JSON.stringify(moved.body));
    await platform.worker.drain();
    assert.deepEqual(await checks(moved.body.id!), { [`${moved.body.id}@${moved.body.start}`]: 'ready' });
    await fallDue(oldKey);
    await platform.worker.drain();
    assert.deepEqual(await checks(booked.body.id!), { [oldKey]: 'done' }, 'the old check ran');
    assert.equal((await read(booked.body.id!)).status, 'cancelled');
    assert.equal((await read(moved.body.id!)).status, 'booked');
  });
});
