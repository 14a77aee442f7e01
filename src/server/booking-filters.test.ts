import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { SERVICE_TYPE_SYSTEM } from '../scheduling/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { createGpSchedule, type SchedulingFixture } from './testing/scheduling-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * What the front desk's booking dialog filters by: the visit types with their length,
 * practitioners and locations (`GET /api/scheduling/visit-types`), and `$find` narrowed by
 * each of them. A GP (General Practice, 15 minutes) and a nurse (Immunization, 10 minutes)
 * at one surgery.
 */
let platform: TestPlatform;
let gp: SchedulingFixture;
let nurse = '';

/** The nurse's immunisation clinic beside the fixture's GP, at the same surgery and hours. */
async function createNurseSchedule(location: string): Promise<string> {
  const practitioner = await platform.create({
    resourceType: 'Practitioner',
    name: [{ given: ['Ada'], family: 'Nurse' }],
  } as never);
  const role = await platform.create({
    resourceType: 'PractitionerRole',
    practitioner: { reference: `Practitioner/${practitioner}` },
    location: [{ reference: location }],
    availableTime: [
      {
        daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'],
        availableStartTime: '09:00:00',
        availableEndTime: '12:00:00',
      },
    ],
  } as never);
  await platform.create({
    resourceType: 'Schedule',
    active: true,
    serviceType: [{ coding: [{ system: SERVICE_TYPE_SYSTEM, code: '57', display: 'Immunization' }] }],
    actor: [
      { reference: `PractitionerRole/${role}` },
      { reference: `Practitioner/${practitioner}` },
      { reference: location },
    ],
  } as never);
  return `Practitioner/${practitioner}`;
}

before(async () => {
  platform = await startTestPlatform(pgliteBackend);
  gp = await createGpSchedule(platform);
  nurse = await createNurseSchedule(gp.location);
});
after(() => platform.stop());

/** `$find` over the fixture's Monday as the front desk, with the dialog's filters. */
async function find(token: string, filters: Record<string, string>): Promise<Appointment[]> {
  const query = new URLSearchParams({
    start: gp.monday.toUTC().toISO()!,
    end: gp.monday.plus({ days: 1 }).toUTC().toISO()!,
    _count: '100',
    ...filters,
  });
  const response = await platform.fetch(`/fhir/Appointment/$find?${query}`, { token });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as Bundle<Appointment>).entry!.map((entry) => entry.resource!);
}

const practitionerOf = (time: Appointment) =>
  time.participant.find((p) => p.actor?.reference?.startsWith('Practitioner/'))?.actor?.reference;

test('the front desk gets each visit type with its length, practitioners and locations', async () => {
  const token = await staffToken(platform, 'front-desk');
  const response = await platform.fetch('/api/scheduling/visit-types', { token });
  assert.equal(response.status, 200, await response.clone().text());
  const { visitTypes } = (await response.json()) as {
    visitTypes: {
      code: string;
      display: string;
      minutes: number;
      practitioners: object[];
      locations: object[];
    }[];
  };
  const byCode = new Map(visitTypes.map((each) => [each.code, each]));
  assert.deepEqual(byCode.get('124'), {
    code: '124',
    display: 'General Practice',
    minutes: 15,
    practitioners: [{ reference: gp.practitioner, name: 'Okoye' }],
    locations: [{ reference: gp.location, name: 'Test surgery' }],
  });
  assert.equal(byCode.get('57')?.minutes, 10);
  assert.deepEqual(byCode.get('57')?.practitioners, [{ reference: nurse, name: 'Ada Nurse' }]);
});

test('the visit types are read through the checkpoint: a role without scheduling gets 403, no token 401', async () => {
  const privacy = await staffToken(platform, 'privacy-officer');
  assert.equal((await platform.fetch('/api/scheduling/visit-types', { token: privacy })).status, 403);
  const anonymous = await fetch(`${platform.url}/api/scheduling/visit-types`);
  assert.equal(anonymous.status, 401);
});

test('$find narrowed by visit type or practitioner offers only their times, at the visit type’s length', async () => {
  const token = await staffToken(platform, 'front-desk');
  const everyone = await find(token, {});
  assert.deepEqual(new Set(everyone.map(practitionerOf)), new Set([gp.practitioner, nurse]));
  const shots = await find(token, { 'service-type': '57' });
  assert.ok(shots.length > 0);
  assert.ok(shots.every((time) => practitionerOf(time) === nurse && time.minutesDuration === 10));
  const withGp = await find(token, { practitioner: gp.practitioner, location: gp.location });
  assert.ok(withGp.length > 0);
  assert.ok(withGp.every((time) => practitionerOf(time) === gp.practitioner && time.minutesDuration === 15));
  assert.deepEqual(await find(token, { 'service-type': '57', practitioner: gp.practitioner }), []);
});
