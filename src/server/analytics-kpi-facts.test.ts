import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { scopeRepository } from '../access/index.ts';
import {
  collectKpiFacts,
  computeKpis,
  filterKpiFacts,
  kpisFromFacts,
  patientsBehind,
  patientsFromFacts,
  type KpiFilters,
  type KpiWindow,
} from '../analytics/index.ts';
import { seedDemoClinic } from '../demo/index.ts';
import { fixedClock } from '../kernel/clock.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { analyticsService, catchUpKpiFacts } from './analytics-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const now = new Date('2026-11-20T12:00:00Z');
const months: KpiWindow = { period: 'month', from: '2025-11-20', to: '2026-11-20' };
const weeks: KpiWindow = { period: 'week', from: '2026-08-28', to: '2026-11-20' };

/**
 * The KPI facts (issue 21) answer exactly what reading every resource answers, on the demo
 * clinic. Its reactions are off, so the facts are built by the catch-up from the outbox (the
 * backfill of a database older than the facts) and nothing changes while the answers are compared.
 */
describeEachBackend('KPI facts: equal to the full read of the demo clinic', (backend) => {
  let platform: TestPlatform;
  const fullScan = () =>
    scopeRepository(platform.repository, {
      principal: analyticsService,
      context: { requestId: 'test' },
      auditDb: platform.db,
    });
  before(async () => {
    platform = await startTestPlatform(
      backend,
      { BACKGROUND_WORKER: 'off' },
      { clock: fixedClock(now.toISOString()) },
    );
    await seedDemoClinic(platform.repository, { patients: 60, seed: 11, now });
  });
  after(() => platform.stop());

  test('the catch-up builds the facts from the outbox, then finds nothing more to do', async () => {
    assert.ok((await catchUpKpiFacts(platform)) > 1000);
    assert.equal(await catchUpKpiFacts(platform), 0);
  });

  test('every KPI, by month and by week, equals the full read of the demo clinic', async () => {
    for (const window of [months, weeks]) {
      const expected = await computeKpis(fullScan(), { window, now });
      const kept = await kpisFromFacts(platform.db, { window, now });
      assert.deepEqual(kept, expected, window.period);
      const counted = expected.flatMap((kpi) => kpi.buckets).filter((bucket) => bucket.numerator > 0);
      assert.ok(counted.length > 20, `the demo clinic fills many figures (${counted.length})`);
    }
  });

  test('filtered by location, practitioner and channel, and the patients behind each figure', async () => {
    const appointment = await firstAppointment(platform, 'fulfilled');
    const actor = (type: string) =>
      appointment.participant
        .map((each) => each.actor?.reference ?? '')
        .find((ref) => ref.startsWith(`${type}/`));
    const filterSets: KpiFilters[] = [
      { location: actor('Location')!.slice('Location/'.length) },
      { practitioner: actor('Practitioner')!.slice('Practitioner/'.length) },
      { channel: 'sms' },
      { channel: 'email' },
      {},
    ];
    for (const filters of filterSets) {
      const expected = await computeKpis(fullScan(), { window: months, now, filters });
      assert.deepEqual(
        await kpisFromFacts(platform.db, { window: months, now, filters }),
        expected,
        JSON.stringify(filters),
      );
      const collected = filterKpiFacts(await collectKpiFacts(fullScan(), { window: months, now }), filters);
      for (const kpi of expected)
        for (const bucket of kpi.buckets.filter((each) => each.numerator > 0).slice(-2))
          for (const set of ['numerator', 'denominator'] as const) {
            const window = {
              period: 'month' as const,
              from: `${bucket.bucket}-01`,
              to: `${bucket.bucket}-01`,
            };
            const select = { kpi: kpi.id, bucket: bucket.bucket, period: window.period, set };
            const kept = await patientsFromFacts(platform.db, { kpi: kpi.id, window, now, filters, set });
            assert.deepEqual(kept, patientsBehind(collected, select), `${kpi.id} ${bucket.bucket} ${set}`);
          }
    }
  });
});

/** The reactions keep the facts: a write moves the answer once they have run, with no catch-up by the reader. */
describeEachBackend('KPI facts: kept by the reactions', (backend) => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(backend);
  });
  after(() => platform.stop());

  test('a write changes the KPI once the reactions have run', async () => {
    const today = new Date();
    const day = today.toISOString().slice(0, 10);
    const window: KpiWindow = { period: 'month', from: day, to: day };
    const noShows = async () =>
      (await kpisFromFacts(platform.db, { window, now: today })).find((kpi) => kpi.id === 'no-show-rate')!
        .buckets[0]!;
    const patient = await platform.repository.create({ resourceType: 'Patient', name: [{ family: 'Kpi' }] });
    const { resource: visit } = await platform.repository.create<Appointment>({
      resourceType: 'Appointment',
      status: 'fulfilled',
      start: today.toISOString(),
      end: new Date(today.getTime() + 900_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patient.resource.id}` }, status: 'accepted' }],
    });
    await platform.worker.drain();
    const before = await noShows();
    assert.deepEqual([before.numerator, before.denominator], [0, 1], 'one fulfilled visit');
    await platform.repository.update({ ...visit, status: 'noshow' });
    await platform.worker.drain();
    const after = await noShows();
    assert.deepEqual([after.numerator, after.denominator], [1, 1], 'the same visit, now missed');
    assert.equal(await catchUpKpiFacts(platform), 0, 'the reactions had kept it');
  });
});

/** A demo appointment of a status (and month), with a location and a practitioner. */
async function firstAppointment(
  platform: TestPlatform,
  status: string,
  month?: string,
): Promise<Appointment> {
  const params: [string, string][] = [
    ['status', status],
    ['_count', '1000'],
  ];
  if (month) params.push(['date', `${month}`]);
  const bundle: Bundle = await platform.repository.search({ resourceType: 'Appointment', params });
  const found = (bundle.entry ?? [])
    .map((entry) => entry.resource as Appointment)
    .find((each) =>
      ['Location/', 'Practitioner/'].every((type) =>
        each.participant.some((p) => p.actor?.reference?.startsWith(type)),
      ),
    );
  assert.ok(found, `a ${status} appointment`);
  return found;
}
