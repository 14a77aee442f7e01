import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Slot } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform, platformPerSuite } from './testing/test-platform.ts';
import {
  book,
  createGpSchedule,
  findTimes,
  operate,
  type SchedulingFixture,
} from './testing/scheduling-fixture.ts';

describeEachBackend('scheduling: $find, $book, $hold, $cancel, $reschedule', (backend) => {
  let platform: TestPlatform;
  let clinic: SchedulingFixture;
  const patients: string[] = [];
  before(async () => {
    platform = await startTestPlatform(backend);
    clinic = await createGpSchedule(platform);
    for (let n = 0; n < 20; n++)
      patients.push(
        `Patient/${await platform.create({ resourceType: 'Patient', name: [{ family: `P${n}` }] } as never)}`,
      );
  });
  after(() => platform.stop());

  const starts = (list: { start?: string }[]) => list.map((each) => each.start);

  test('$find offers Monday 09:00–12:00 Berlin time, 15 minutes + 5 buffer apart, as proposed Appointments', async () => {
    const times = await findTimes(platform, { fixture: clinic, patient: patients[0]! });
    assert.equal(times.length, 9);
    assert.equal(
      times[0]!.start,
      clinic.monday.set({ hour: 9 }).toUTC().toISO({ suppressMilliseconds: true })!.replace('Z', '.000Z'),
    );
    assert.equal(times[0]!.status, 'proposed');
    assert.ok(times[0]!.participant.some((p) => p.actor?.reference === patients[0]));
    const post = await operate(platform, {
      path: '/fhir/Appointment/$find',
      parameter: [
        { name: 'start', valueDateTime: clinic.monday.toUTC().toISO() },
        { name: 'end', valueDateTime: clinic.monday.plus({ days: 1 }).toUTC().toISO() },
        { name: 'practitioner', valueString: clinic.practitioner },
        { name: '_count', valueString: '3' },
      ],
    });
    assert.equal((post.body as unknown as Bundle).entry?.length, 3);
  });

  test('20 concurrent bookings of one time: exactly one booked Appointment, 19 × 409', async () => {
    const [first] = await findTimes(platform, { fixture: clinic, patient: patients[0]! });
    const results = await Promise.all(
      patients.map((patient) => book(platform, { proposal: first!, patient })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, ...Array(19).fill(409)]);
    for (const result of results.filter((r) => r.status === 409))
      assert.equal(result.body.issue?.[0]?.code, 'conflict');
    const booked = await platform.fetch(
      `/fhir/Appointment?date=${encodeURIComponent(first!.start!)}&status=booked`,
    );
    assert.equal(((await booked.json()) as Bundle).entry?.length, 1);
    const again = await findTimes(platform, { fixture: clinic, patient: patients[1]! });
    assert.ok(!starts(again).includes(first!.start), '$find no longer offers the booked time');
  });

  test('$find leaves out the patient’s own other appointments', async () => {
    const [, second] = await findTimes(platform, { fixture: clinic, patient: patients[2]! });
    assert.equal((await book(platform, { proposal: second!, patient: patients[2]! })).status, 201);
    const tuesday = clinic.monday.plus({ days: 1 });
    // the patient's booking at Monday is no obstacle on Tuesday, but on Monday it is
    const monday = await findTimes(platform, { fixture: clinic, patient: patients[2]! });
    assert.ok(!starts(monday).includes(second!.start));
    assert.equal(
      (await findTimes(platform, { fixture: clinic, patient: patients[2]!, day: tuesday })).length,
      9,
    );
  });

  test('$hold takes the time tentatively; $book of the hold books it', async () => {
    const tuesday = clinic.monday.plus({ days: 1 });
    const [first] = await findTimes(platform, { fixture: clinic, patient: patients[3]!, day: tuesday });
    const held = await book(platform, { proposal: first!, patient: patients[3]!, operation: '$hold' });
    assert.equal(held.status, 201);
    assert.equal(held.body.status, 'pending');
    assert.equal((await book(platform, { proposal: first!, patient: patients[4]! })).status, 409);
    const confirmed = await operate(platform, {
      path: '/fhir/Appointment/$book',
      parameter: [{ name: 'appointment', resource: held.body }],
    });
    assert.equal(confirmed.body.status, 'booked');
    const slot = (await (await platform.fetch(`/fhir/${confirmed.body.slot![0]!.reference}`)).json()) as Slot;
    assert.equal(slot.status, 'busy');
  });

  test('a lapsed hold no longer holds the time', async () => {
    const tuesday = clinic.monday.plus({ days: 1 });
    const times = await findTimes(platform, { fixture: clinic, patient: patients[5]!, day: tuesday });
    const past = new Date(Date.now() - 1000).toISOString();
    const held = await operate(platform, {
      path: '/fhir/Appointment/$hold',
      parameter: [
        { name: 'appointment', resource: { ...times[0]!, participant: times[0]!.participant } },
        { name: 'expires', valueInstant: past },
      ],
    });
    assert.equal(held.status, 201);
    assert.ok(
      starts(await findTimes(platform, { fixture: clinic, patient: patients[6]!, day: tuesday })).includes(
        times[0]!.start,
      ),
    );
    assert.equal((await book(platform, { proposal: times[0]!, patient: patients[6]! })).status, 201);
  });

  test('$cancel frees the time; $reschedule moves a booking in one transaction, or not at all', async () => {
    const wednesday = clinic.monday.plus({ days: 2 });
    const [a, b, c] = await findTimes(platform, { fixture: clinic, patient: patients[7]!, day: wednesday });
    const booked = await book(platform, { proposal: a!, patient: patients[7]! });
    const cancelled = await operate(platform, {
      path: `/fhir/Appointment/${booked.body.id}/$cancel`,
      parameter: [{ name: 'reason', valueString: 'patient called' }],
    });
    assert.equal(cancelled.body.status, 'cancelled');
    assert.ok(
      starts(await findTimes(platform, { fixture: clinic, patient: patients[8]!, day: wednesday })).includes(
        a!.start,
      ),
    );
    const mine = await book(platform, { proposal: b!, patient: patients[7]! });
    const other = await book(platform, { proposal: c!, patient: patients[8]! });
    const refused = await operate(platform, {
      path: `/fhir/Appointment/${mine.body.id}/$reschedule`,
      parameter: [{ name: 'appointment', resource: c }],
    });
    assert.equal(refused.status, 409);
    const stillBooked = await (await platform.fetch(`/fhir/Appointment/${mine.body.id}`)).json();
    assert.equal((stillBooked as { status: string }).status, 'booked');
    const later = new Date(Date.parse(b!.start!) + 10 * 60_000).toISOString(); // overlaps its own old time
    const overlapping = { ...b!, start: later, end: new Date(Date.parse(later) + 15 * 60_000).toISOString() };
    const moved = await operate(platform, {
      path: `/fhir/Appointment/${mine.body.id}/$reschedule`,
      parameter: [{ name: 'appointment', resource: overlapping }],
    });
    assert.equal(moved.status, 409, 'runs into the next booking’s time (c at +20 min with buffer)');
    const earlier = { ...b!, start: a!.start, end: a!.end };
    const movedEarlier = await operate(platform, {
      path: `/fhir/Appointment/${mine.body.id}/$reschedule`,
      parameter: [{ name: 'appointment', resource: earlier }],
    });
    assert.equal(movedEarlier.status, 201, JSON.stringify(movedEarlier.body));
    assert.equal(other.status, 201);
  });

  test('bad input gets an OperationOutcome naming the path, not a 5xx', async () => {
    const noPatient = await operate(platform, {
      path: '/fhir/Appointment/$book',
      parameter: [
        {
          name: 'appointment',
          resource: { resourceType: 'Appointment', status: 'proposed', participant: [] },
        },
      ],
    });
    assert.equal(noPatient.status, 400);
    const badDate = await platform.fetch('/fhir/Appointment/$find?start=tomorrow');
    assert.equal(badDate.status, 400);
    const notOpen = await findTimes(platform, { fixture: clinic, patient: patients[9]! });
    const night = {
      ...notOpen[0]!,
      start: clinic.monday.set({ hour: 22 }).toUTC().toISO()!,
      end: clinic.monday.set({ hour: 22, minute: 15 }).toUTC().toISO()!,
    };
    assert.equal((await book(platform, { proposal: night, patient: patients[9]! })).status, 409);
  });
});

describeEachBackend('scheduling: deliberate overbooking per schedule', (backend) => {
  const platform = platformPerSuite(backend);

  test('a schedule allowing one extra booking takes two for one time, then refuses', async () => {
    const clinic = await createGpSchedule(platform, { overbooking: 1 });
    const people = [];
    for (let n = 0; n < 3; n++)
      people.push(`Patient/${await platform.create({ resourceType: 'Patient' } as never)}`);
    const [first] = await findTimes(platform, { fixture: clinic, patient: people[0]! });
    const statuses = [];
    for (const patient of people) statuses.push((await book(platform, { proposal: first!, patient })).status);
    assert.deepEqual(statuses, [201, 201, 409]);
  });

  test('one $find over several schedules: a booking blocks only its own practitioner’s time', async () => {
    const clinic = await createGpSchedule(platform);
    const other = await createGpSchedule(platform);
    const patient = `Patient/${await platform.create({ resourceType: 'Patient' } as never)}`;
    const thursday = clinic.monday.plus({ days: 3 });
    const [first] = await findTimes(platform, { fixture: clinic, patient, day: thursday });
    assert.equal((await book(platform, { proposal: first!, patient })).status, 201);
    const query = new URLSearchParams({
      start: thursday.toUTC().toISO()!,
      end: thursday.plus({ days: 1 }).toUTC().toISO()!,
      'service-type': '124',
      _count: '500',
    });
    const bundle = (await (await platform.fetch(`/fhir/Appointment/$find?${query}`)).json()) as Bundle;
    const startsOf = (practitioner: string) =>
      (bundle.entry ?? [])
        .map(
          (entry) => entry.resource as { start: string; participant: { actor?: { reference?: string } }[] },
        )
        .filter((each) => each.participant.some((p) => p.actor?.reference === practitioner))
        .map((each) => each.start);
    assert.ok(!startsOf(clinic.practitioner).includes(first!.start!), 'taken for the booked practitioner');
    assert.ok(startsOf(other.practitioner).includes(first!.start!), 'still free for the other');
    assert.equal(startsOf(other.practitioner).length, 9);
  });
});
