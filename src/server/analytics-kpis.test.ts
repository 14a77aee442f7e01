import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { fixedClock } from '../kernel/clock.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';
import { kpiClinic } from './testing/kpi-clinic.ts';

interface Figure {
  value: number | null;
  numerator: number;
  denominator: number | null;
  groups?: Record<string, { value: number | null; numerator: number; denominator: number | null }>;
  patients: string;
}
interface Answer {
  period: string;
  kpis: { id: string; buckets: (Figure & { bucket: string })[] }[];
}

/** Each KPI on a small clinic whose true values are written next to its records (`testing/kpi-clinic.ts`). */
describeEachBackend('practice KPIs', (backend) => {
  let platform: TestPlatform;
  let manager: string;
  let answer: Answer;
  const figure = (kpi: string, bucket = '2026-11') =>
    answer.kpis.find((each) => each.id === kpi)!.buckets.find((each) => each.bucket === bucket)!;
  before(async () => {
    // No reactions: identity and journeys would add their own Tasks to the clinic's known truth.
    platform = await startTestPlatform(
      backend,
      { BACKGROUND_WORKER: 'off' },
      { clock: fixedClock('2026-11-20T12:00:00Z') },
    );
    await platform.repository.importResources(kpiClinic as Resource[]);
    manager = await staffToken(platform, 'practice-manager');
    const response = await platform.fetch('/api/analytics/kpis?period=month&from=2026-10-01&to=2026-11-30', {
      token: manager,
    });
    assert.equal(response.status, 200);
    answer = (await response.json()) as Answer;
  });
  after(() => platform.stop());

  const expect = (
    kpi: string,
    value: number | null,
    numerator: number,
    denominator: number | null,
    bucket?: string,
  ) => {
    const { value: v, numerator: n, denominator: d } = figure(kpi, bucket);
    assert.deepEqual({ v, n, d }, { v: value, n: numerator, d: denominator }, kpi);
  };

  test('duplicates: reviews opened, backlog and its age, merges and un-merges', () => {
    expect('duplicate-reviews-opened', 2, 2, null);
    expect('duplicate-review-backlog', 1, 1, null);
    expect('duplicate-review-age-days', 10, 1, null);
    expect('merges', 1, 1, null);
    expect('unmerges', 1, 1, null);
  });

  test('clean data: active records (not inactive, not golden) with contact, address, language, consent', () => {
    expect('clean-contact', 0.6667, 2, 3);
    expect('clean-address', 0.6667, 2, 3);
    expect('clean-language', 0.3333, 1, 3);
    expect('clean-consent', 0.3333, 1, 3);
  });

  test('reminders: delivery, response and confirmation by channel', () => {
    expect('outreach-delivery-rate', 0.6667, 2, 3);
    expect('outreach-response-rate', 1, 2, 2);
    expect('reminder-confirmation-rate', 0.5, 1, 2);
    assert.deepEqual(figure('outreach-delivery-rate').groups, {
      email: { value: 1, numerator: 1, denominator: 1 },
      sms: { value: 0.5, numerator: 1, denominator: 2 },
    });
    expect('opt-outs', 1, 1, null);
    assert.deepEqual(figure('opt-outs').groups, { email: { value: 1, numerator: 1, denominator: null } });
  });

  test('appointments: no-show and cancellation rates, booking lead time, waitlist fills, per month', () => {
    expect('no-show-rate', 0.5, 1, 2);
    expect('cancellation-rate', 0.3333, 2, 6);
    expect('waitlist-fill-rate', 0.5, 1, 2);
    expect('waitlist-fill-rate', null, 0, 0, '2026-10');
    expect('booking-lead-days', 4.5, 2, null);
    expect('no-show-rate', 0, 0, 1, '2026-10');
    expect('booking-lead-days', 9, 1, null, '2026-10');
  });

  test('filters: location and practitioner for appointments, channel for outreach; bad values 400', async () => {
    const filtered = async (query: string) => {
      const response = await platform.fetch(
        `/api/analytics/kpis?period=month&from=2026-11-01&to=2026-11-30&${query}`,
        { token: manager },
      );
      assert.equal(response.status, 200, query);
      const body = (await response.json()) as Answer;
      const of = (kpi: string) => body.kpis.find((each) => each.id === kpi)?.buckets[0];
      return { ids: body.kpis.map((each) => each.id), of };
    };
    const north = await filtered('location=Location/loc-north');
    assert.deepEqual([north.of('no-show-rate')!.numerator, north.of('no-show-rate')!.denominator], [0, 1]);
    assert.deepEqual(
      [north.of('cancellation-rate')!.numerator, north.of('cancellation-rate')!.denominator],
      [1, 2],
    );
    assert.ok(!north.ids.includes('clean-contact'), 'clean data has no location: left out, not unfiltered');
    assert.ok(north.of('no-show-rate')!.patients.endsWith('&location=loc-north'));
    const south = await filtered('location=loc-south');
    assert.deepEqual([south.of('no-show-rate')!.numerator, south.of('no-show-rate')!.denominator], [1, 1]);
    const doctor = await filtered('practitioner=dr-a');
    assert.deepEqual([doctor.of('no-show-rate')!.numerator, doctor.of('no-show-rate')!.denominator], [1, 2]);
    const sms = await filtered('channel=sms');
    const delivery = sms.of('outreach-delivery-rate')!;
    assert.deepEqual([delivery.numerator, delivery.denominator], [1, 2]);
    assert.equal(sms.of('opt-outs')!.numerator, 0);
    assert.ok(!sms.ids.includes('no-show-rate'));
    const drill = await platform.fetch(north.of('no-show-rate')!.patients + '&set=denominator', {
      token: manager,
    });
    assert.deepEqual(
      ((await drill.json()) as { patients: { id: string }[] }).patients.map((each) => each.id),
      ['kpi-p1'],
    );
    for (const bad of ['channel=fax', 'location=a b', 'practitioner=Practitioner/'])
      assert.equal((await platform.fetch(`/api/analytics/kpis?${bad}`, { token: manager })).status, 400, bad);
  });

  test('follow-ups: care gaps and follow-ups closed, median days to close', () => {
    expect('follow-up-closure-rate', 0.6667, 2, 3);
    expect('follow-up-days-to-close', 4, 2, null);
    assert.deepEqual(figure('follow-up-closure-rate').groups?.['care-gap'], {
      value: 0.5,
      numerator: 1,
      denominator: 2,
    });
  });

  test('weeks: the same facts in the week that holds them', async () => {
    const response = await platform.fetch('/api/analytics/kpis?period=week&from=2026-11-02&to=2026-11-08', {
      token: manager,
    });
    const weeks = (await response.json()) as Answer;
    const noShow = weeks.kpis.find((each) => each.id === 'no-show-rate')!.buckets;
    assert.deepEqual(
      noShow.map((each) => [each.bucket, each.numerator, each.denominator]),
      [['2026-11-02', 1, 2]],
    );
  });

  test('FHIR: a KPI as a summary MeasureReport for a period ($evaluate-measure)', async () => {
    const url = '/fhir/Measure/no-show-rate/$evaluate-measure?periodStart=2026-10-01&periodEnd=2026-11-30';
    const response = await platform.fetch(url, { token: manager });
    assert.equal(response.status, 200);
    const report = (await response.json()) as {
      resourceType: string;
      period: { start: string; end: string };
      group: {
        population: { code: { coding: { code: string }[] }; count: number }[];
        measureScore?: { value: number };
      }[];
    };
    assert.equal(report.resourceType, 'MeasureReport');
    assert.deepEqual(report.period, { start: '2026-10-01', end: '2026-11-30' });
    const counts = report.group[0]!.population.map((each) => [each.code.coding[0]!.code, each.count]);
    assert.deepEqual(counts, [
      ['numerator', 1],
      ['denominator', 3],
    ]);
    assert.equal(report.group[0]!.measureScore?.value, 0.3333);
    const bad = await platform.fetch('/fhir/Measure/no-show-rate/$evaluate-measure?periodStart=2026-11-01', {
      token: manager,
    });
    assert.equal(bad.status, 400);
  });

  test('drill-down: the patients behind a figure; only KPI roles; bad input is 400', async () => {
    const response = await platform.fetch(figure('no-show-rate').patients, { token: manager });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { total: number; patients: { id: string; name?: string }[] };
    assert.deepEqual(
      body.patients.map((each) => [each.id, each.name]),
      [['kpi-p2', 'Bea Two']],
    );
    const denominator = await platform.fetch(`${figure('no-show-rate').patients}&set=denominator`, {
      token: manager,
    });
    assert.equal(((await denominator.json()) as { total: number }).total, 2);
    const frontDesk = await staffToken(platform, 'front-desk');
    assert.equal((await platform.fetch('/api/analytics/kpis', { token: frontDesk })).status, 403);
    assert.equal((await platform.fetch('/api/analytics/kpis?period=year', { token: manager })).status, 400);
    assert.equal(
      (await platform.fetch('/api/analytics/kpis?from=2026-13-01', { token: manager })).status,
      400,
    );
    assert.equal(
      (await platform.fetch('/api/analytics/kpis/nope/patients?bucket=2026-11', { token: manager })).status,
      404,
    );
  });
});
