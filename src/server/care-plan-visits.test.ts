import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CarePlan, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { carePlanClinic } from './testing/care-plan-clinic.ts';
import { figureOf, kpiClinicPerSuite, rate } from './testing/kpi-suite.ts';

/** Care-plan visits kept, on a generated clinic whose true values the generator counted; and as plans change. */
describeEachBackend('care-plan visits kept KPI', (backend) => {
  const clinic = carePlanClinic(24);
  const kpis = kpiClinicPerSuite(backend, {
    resources: clinic.resources as Resource[],
    now: '2026-12-02T12:00:00Z',
  });
  const { suite } = kpis;
  const november = async (query = '') => (await kpis.november(query))('care-plan-visits-kept')!;

  test('the share of visits plans in force scheduled that happened, and at one location', async () => {
    assert.ok(
      clinic.truth.kept.denominator > 10 && clinic.truth.kept.numerator < clinic.truth.kept.denominator,
    );
    assert.deepEqual(figureOf(await november()), rate(clinic.truth.kept));
    assert.deepEqual(figureOf(await november('&location=loc-north')), rate(clinic.truth.keptNorth));
  });

  test('the patients behind it', async () => {
    const figure = await november();
    const ids = kpis.patientsBehind;
    assert.deepEqual(await ids(figure.patients), clinic.truth.keptPatients);
    assert.deepEqual(await ids(`${figure.patients}&set=denominator`), clinic.truth.countedPatients);
  });

  test('a plan that drops a visit, or schedules one, changes the figure once the reactions run', async () => {
    const before = figureOf(await november());
    const plan = (await suite.platform.repository.read('CarePlan', 'cp-plan0')) as CarePlan;
    const dropped = plan.activity![0]!.reference!.reference!;
    const status = (
      (await suite.platform.repository.read('Appointment', dropped.split('/')[1]!)) as { status: string }
    ).status;
    assert.equal(status, 'fulfilled', 'the generator made cp-plan0 keep its first visit');
    await suite.platform.repository.update({ ...plan, activity: plan.activity!.slice(1) });
    const after = figureOf(await november());
    assert.deepEqual([after.numerator, after.denominator], [before.numerator - 1, before.denominator! - 1]);
    await suite.platform.repository.update(plan);
    assert.deepEqual(figureOf(await november()), before);
  });
});
