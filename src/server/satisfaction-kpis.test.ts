import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { fixedClock } from '../kernel/clock.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { surveyKpiClinic, type TrueFigure } from './testing/survey-kpi-clinic.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

interface Figure {
  value: number | null;
  numerator: number;
  denominator: number | null;
  groups?: Record<string, Figure>;
}
interface Answer {
  kpis: { id: string; buckets: (Figure & { bucket: string })[] }[];
}

const rate = ({ numerator, denominator }: TrueFigure) => ({
  value: Math.round((numerator / denominator) * 10_000) / 10_000,
  numerator,
  denominator,
});
const figureOf = ({ value, numerator, denominator }: Figure) => ({ value, numerator, denominator });

/** The satisfaction KPIs on a generated clinic whose true values the generator counted. */
describeEachBackend('satisfaction KPIs: survey response rate and scores', (backend) => {
  const clinic = surveyKpiClinic(40);
  let platform: TestPlatform;
  let manager = '';
  const kpis = async (query = '') => {
    const response = await platform.fetch(
      `/api/analytics/kpis?period=month&from=2026-11-01&to=2026-11-30${query}`,
      { token: manager },
    );
    assert.equal(response.status, 200);
    const answer = (await response.json()) as Answer;
    return (id: string) =>
      answer.kpis.find((kpi) => kpi.id === id)!.buckets.find((b) => b.bucket === '2026-11')!;
  };
  before(async () => {
    platform = await startTestPlatform(backend, {}, { clock: fixedClock('2026-11-30T12:00:00Z') });
    await platform.repository.importResources(clinic.resources as Resource[]);
    manager = await staffToken(platform, 'practice-manager');
  });
  after(() => platform.stop());

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
