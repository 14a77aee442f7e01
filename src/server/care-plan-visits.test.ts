import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CarePlan, Resource } from '@medplum/fhirtypes';
import { fixedClock } from '../kernel/clock.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { carePlanClinic } from './testing/care-plan-clinic.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

interface Bucket {
  value: number | null;
  numerator: number;
  denominator: number | null;
  patients: string;
}
const rate = ({ numerator, denominator }: { numerator: number; denominator: number }) => ({
  value: Math.round((numerator / denominator) * 10_000) / 10_000,
  numerator,
  denominator,
});
const figureOf = ({ value, numerator, denominator }: Bucket) => ({ value, numerator, denominator });

/** Care-plan visits kept, on a generated clinic whose true values the generator counted; and as plans change. */
describeEachBackend('care-plan visits kept KPI', (backend) => {
  const clinic = carePlanClinic(24);
  let platform: TestPlatform;
  let manager = '';
  const november = async (query = '') => {
    const response = await platform.fetch(
      `/api/analytics/kpis?period=month&from=2026-11-01&to=2026-11-30${query}`,
      { token: manager },
    );
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { kpis: { id: string; buckets: Bucket[] }[] };
    return answer.kpis.find((kpi) => kpi.id === 'care-plan-visits-kept')!.buckets[0]!;
  };
  before(async () => {
    platform = await startTestPlatform(backend, {}, { clock: fixedClock('2026-12-02T12:00:00Z') });
    await platform.repository.importResources(clinic.resources as Resource[]);
    manager = await staffToken(platform, 'practice-manager');
  });
  after(() => platform.stop());

  test('the share of visits plans in force scheduled that happened, and at one location', async () => {
    assert.ok(
      clinic.truth.kept.denominator > 10 && clinic.truth.kept.numerator < clinic.truth.kept.denominator,
    );
    assert.deepEqual(figureOf(await november()), rate(clinic.truth.kept));
    assert.deepEqual(figureOf(await november('&location=loc-north')), rate(clinic.truth.keptNorth));
  });

  test('the patients behind it', async () => {
    const figure = await november();
    const ids = async (link: string) => {
      const response = await platform.fetch(link, { token: manager });
      assert.equal(response.status, 200);
      return ((await response.json()) as { patients: { id: string }[] }).patients.map((p) => p.id).sort();
    };
    assert.deepEqual(await ids(figure.patients), clinic.truth.keptPatients);
    assert.deepEqual(await ids(`${figure.patients}&set=denominator`), clinic.truth.countedPatients);
  });

  test('a plan that drops a visit, or schedules one, changes the figure once the reactions run', async () => {
    const before = figureOf(await november());
    const plan = (await platform.repository.read('CarePlan', 'cp-plan0')) as CarePlan;
    const dropped = plan.activity![0]!.reference!.reference!;
    const status = (
      (await platform.repository.read('Appointment', dropped.split('/')[1]!)) as { status: string }
    ).status;
    assert.equal(status, 'fulfilled', 'the generator made cp-plan0 keep its first visit');
    await platform.repository.update({ ...plan, activity: plan.activity!.slice(1) });
    const after = figureOf(await november());
    assert.deepEqual([after.numerator, after.denominator], [before.numerator - 1, before.denominator! - 1]);
    await platform.repository.update(plan);
    assert.deepEqual(figureOf(await november()), before);
  });
});
