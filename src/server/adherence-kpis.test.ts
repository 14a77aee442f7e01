import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { adherenceClinic } from './testing/adherence-clinic.ts';
import { figureOf, kpiClinicPerSuite, rate } from './testing/kpi-suite.ts';
import { staffToken } from './testing/role-tokens.ts';

/** Chronic-care adherence (PDC ≥ 80%) on a generated clinic whose true values the generator worked out. */
describeEachBackend('chronic-care adherence KPI: proportion of days covered', (backend) => {
  const clinic = adherenceClinic(30);
  const kpis = kpiClinicPerSuite(backend, {
    resources: clinic.resources as Resource[],
    now: '2026-12-02T12:00:00Z',
  });
  const { suite } = kpis;
  const november = async (query = '') => (await kpis.november(query))('chronic-adherence');

  test('the share of patient–drug pairs covered ≥ 80% over the year to the month’s end, by drug', async () => {
    assert.ok(clinic.truth.all.denominator > 20 && clinic.truth.all.numerator > 3);
    assert.ok(clinic.truth.all.numerator < clinic.truth.all.denominator, 'some pairs fall short');
    const figure = (await november())!;
    assert.equal(figure.bucket, '2026-11');
    assert.deepEqual(figureOf(figure), rate(clinic.truth.all));
    const byDrug = Object.fromEntries(Object.entries(figure.groups ?? {}).map(([k, v]) => [k, figureOf(v)]));
    assert.deepEqual(
      byDrug,
      Object.fromEntries(Object.entries(clinic.truth.byDrug).map(([k, v]) => [k, rate(v)])),
    );
  });

  test('PQA exclusions: patients with ESRD or in hospice in the year are not measured; lapsed or voided ones are', async () => {
    const excluded = clinic.truth.excludedPatients;
    assert.ok(excluded.length >= 4, `excluded: ${excluded}`);
    assert.ok(
      excluded.some((id) => Number(id.slice(5)) % 10 === 1) &&
        excluded.some((id) => Number(id.slice(5)) % 10 === 6),
    );
    const measured = clinic.truth.measuredPatients;
    assert.ok(
      measured.some((id) => Number(id.slice(5)) % 10 === 8),
      'ESRD that abated before the year',
    );
    assert.ok(
      measured.some((id) => Number(id.slice(5)) % 10 === 4),
      'a hospice stay entered in error',
    );
    const figure = (await november())!;
    const inDenominator = await kpis.patientsBehind(`${figure.patients}&set=denominator`);
    assert.deepEqual(
      inDenominator.filter((id) => excluded.includes(id)),
      [],
    );
    assert.deepEqual(inDenominator, measured);
  });

  test('filtered by prescriber; a filter it has no dimension for leaves it out', async () => {
    assert.deepEqual(figureOf((await november('&practitioner=dr-a'))!), rate(clinic.truth.drA));
    assert.equal(await november('&channel=sms'), undefined);
  });

  test('the patients behind it, one click away, for KPI roles only', async () => {
    const figure = (await november())!;
    const ids = kpis.patientsBehind;
    assert.deepEqual(await ids(figure.patients), clinic.truth.adherentPatients);
    assert.deepEqual(await ids(`${figure.patients}&set=denominator`), clinic.truth.measuredPatients);
    const frontDesk = await staffToken(suite.platform, 'front-desk');
    assert.equal((await suite.platform.fetch(figure.patients, { token: frontDesk })).status, 403);
  });

  test('as a FHIR MeasureReport over the PQA measurement year', async () => {
    const url =
      '/fhir/Measure/chronic-adherence/$evaluate-measure?periodStart=2025-12-01&periodEnd=2026-11-30';
    const response = await suite.platform.fetch(url, { token: suite.manager });
    assert.equal(response.status, 200);
    const report = (await response.json()) as {
      group: { population: { count: number }[]; measureScore?: { value: number } }[];
    };
    const [numerator, denominator] = report.group[0]!.population.map((each) => each.count);
    assert.deepEqual([numerator, denominator], [clinic.truth.all.numerator, clinic.truth.all.denominator]);
    assert.equal(report.group[0]!.measureScore?.value, rate(clinic.truth.all).value);
  });
});
