import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { figureOf, kpiClinicPerSuite, rate } from './testing/kpi-suite.ts';
import { surveyKpiClinic } from './testing/survey-kpi-clinic.ts';

/** The satisfaction KPIs on a generated clinic whose true values the generator counted. */
describeEachBackend('satisfaction KPIs: survey response rate and scores', (backend) => {
  const clinic = surveyKpiClinic(40);
  const { november } = kpiClinicPerSuite(backend, {
    resources: clinic.resources as Resource[],
    now: '2026-11-30T12:00:00Z',
  });
  const kpis = async (query = '') => {
    const bucketOf = await november(query);
    return (id: string) => bucketOf(id)!;
  };

  test('response rate: surveys sent that were answered, by channel; drafts are not sent', async () => {
    const figure = (await kpis())('survey-response-rate');
    assert.deepEqual(figureOf(figure), rate(clinic.truth.responseRate));
    const byChannel = Object.fromEntries(
      Object.entries(figure.groups ?? {}).map(([k, v]) => [k, figureOf(v)]),
    );
    const expected = Object.fromEntries(
      Object.entries(clinic.truth.responseRateBy).map(([k, v]) => [k, rate(v)]),
    );
    assert.deepEqual(byChannel, expected);
  });

  test('score: the share of 4–5, its distribution (and so the mean), by touchpoint and at one location', async () => {
    const figure = await kpis();
    const score = figure('satisfaction-score');
    assert.deepEqual(figureOf(score), rate(clinic.truth.topBox));
    const distribution = Object.fromEntries(
      Object.entries(score.groups ?? {}).map(([k, v]) => [k, v.denominator]),
    );
    assert.deepEqual(distribution, clinic.truth.scores);
    const mean =
      Object.entries(distribution).reduce((sum, [s, n]) => sum + Number(s) * (n ?? 0), 0) /
      score.denominator!;
    assert.equal(mean, clinic.truth.meanScore);
    const touchpoints = figure('satisfaction-by-touchpoint').groups ?? {};
    assert.deepEqual(
      Object.fromEntries(Object.entries(touchpoints).map(([k, v]) => [k, figureOf(v)])),
      Object.fromEntries(Object.entries(clinic.truth.byTouchpoint).map(([k, v]) => [k, rate(v)])),
    );
    const north = (await kpis('&location=loc-north'))('satisfaction-score');
    assert.deepEqual(figureOf(north), rate(clinic.truth.topBoxNorth));
  });
});
