import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, RiskAssessment } from '@medplum/fhirtypes';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { book, createGpSchedule, findTimes } from './testing/scheduling-fixture.ts';

const DAY = 86_400_000;

/** A clinic's past: 160 appointments, those booked far ahead missed more often. */
function history(patients: string[], now: number): Bundle {
  const entry = Array.from({ length: 160 }, (_, n) => {
    const lead = (n * 7) % 40;
    const start = now - (5 + (n % 50)) * DAY;
    const appointment: Appointment = {
      resourceType: 'Appointment',
      status: (n * 37) % 100 < 5 + lead * 1.5 ? 'noshow' : 'fulfilled',
      start: new Date(start).toISOString(),
      end: new Date(start + 15 * 60_000).toISOString(),
      created: new Date(start - lead * DAY).toISOString(),
      participant: [{ actor: { reference: patients[n % patients.length]! }, status: 'accepted' }],
    };
    return { resource: appointment, request: { method: 'POST' as const, url: 'Appointment' } };
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

let platform: TestPlatform;
const patients: string[] = [];
before(async () => {
  platform = await startTestPlatform(pgliteBackend);
  for (let n = 0; n < 30; n++)
    patients.push(
      `Patient/${await platform.create({ resourceType: 'Patient', gender: n % 2 ? 'female' : 'male', birthDate: `${1950 + n}-01-01` } as never)}`,
    );
  await platform.repository.processBundle(history(patients, Date.now()));
});
after(() => platform.stop());

test('a new booking gets its no-show risk as a RiskAssessment (basis the Appointment), from the clinic’s own history', async () => {
  const clinic = await createGpSchedule(platform);
  const [first] = await findTimes(platform, { fixture: clinic, patient: patients[0]! });
  const booked = await book(platform, { proposal: first!, patient: patients[0]! });
  assert.equal(booked.status, 201);
  await platform.worker.drain();
  const response = await platform.fetch(`/fhir/RiskAssessment?subject=${patients[0]}`);
  const assessments =
    ((await response.json()) as Bundle).entry?.map((e) => e.resource as RiskAssessment) ?? [];
  const mine = assessments.find((each) => each.basis?.[0]?.reference === `Appointment/${booked.body.id}`);
  assert.ok(mine, JSON.stringify(assessments));
  const probability = mine.prediction?.[0]?.probabilityDecimal ?? -1;
  assert.ok(probability > 0 && probability < 1, String(probability));
});
