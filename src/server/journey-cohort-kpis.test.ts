import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import { scopeRepository } from '../access/index.ts';
import { computeKpis, kpisFromFacts, type KpiFilters } from '../analytics/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { analyticsService } from './analytics-service.ts';
import { figureOf, kpiClinicPerSuite, rate, type KpiFigure } from './testing/kpi-suite.ts';
import { episodesOf, journeyKpiClinic } from './testing/journey-kpi-clinic.ts';
import type { TrueFigure } from './testing/survey-kpi-clinic.ts';

const groupsOf = (figure: KpiFigure | undefined) =>
  Object.fromEntries(Object.entries(figure?.groups ?? {}).map(([k, v]) => [k, figureOf(v)]));
const rates = (truth: Record<string, TrueFigure>) =>
  Object.fromEntries(Object.entries(truth).map(([k, v]) => [k, rate(v)]));
const now = new Date('2026-11-30T12:00:00Z');

/**
 * KPIs by journey stage and cohort (issue 21) on a generated clinic whose true values the
 * generator counted: the survey clinic with journeys (as the engine writes them), a golden record
 * and a cohort Group. Reactions are off: each answer catches the facts up, so an episode changed
 * between two answers shows the facts following it.
 */
describeEachBackend('KPIs by journey stage and cohort', (backend) => {
  const clinic = journeyKpiClinic();
  const { suite, november, patientsBehind } = kpiClinicPerSuite(
    backend,
    { resources: clinic.resources, now: now.toISOString() },
    { BACKGROUND_WORKER: 'off' },
  );

  test('satisfaction and response rate by journey stage (at the time) and by touchpoint', async () => {
    const figure = await november();
    assert.deepEqual(groupsOf(figure('satisfaction-by-stage')), rates(clinic.truth.satisfactionByStage));
    assert.deepEqual(groupsOf(figure('survey-response-by-stage')), rates(clinic.truth.responseByStage));
    assert.deepEqual(
      groupsOf(figure('survey-response-by-touchpoint')),
      rates(clinic.truth.responseByTouchpoint),
    );
  });

  test('filtered by journey, and by a stage of it: the answers given in it', async () => {
    const chronic = (await november('&journey=chronic-care'))('satisfaction-score');
    assert.deepEqual(figureOf(chronic!), rate(clinic.truth.topBoxChronic));
    const booking = (await november('&journey=patient-journey&stage=booking'))('satisfaction-score');
    assert.deepEqual(figureOf(booking!), rate(clinic.truth.topBoxBooking));
    assert.match(booking!.patients, /journey=patient-journey&stage=booking/);
    const adherence = (await november('&journey=chronic-care'))('chronic-adherence');
    assert.equal(adherence, undefined, 'adherence is not filtered by journey: left out');
  });

  test('filtered by a cohort Group (a golden member counts its records), and the patients behind it', async () => {
    const figure = (await november('&cohort=Group/sv-cohort'))('satisfaction-score')!;
    assert.deepEqual(figureOf(figure), rate(clinic.truth.topBoxCohort));
    assert.match(figure.patients, /cohort=sv-cohort/);
    assert.deepEqual(await patientsBehind(figure.patients), clinic.truth.cohortNumeratorPatients);
  });

  test('a saved search as a cohort: whom it finds now counts, as the member Group does', async () => {
    const figure = (await november('&cohort=Group/sv-saved-search'))('satisfaction-score')!;
    assert.deepEqual(figureOf(figure), rate(clinic.truth.topBoxCohort));
    assert.deepEqual(await patientsBehind(figure.patients), clinic.truth.cohortNumeratorPatients);
  });

  test('a Group that is not there is a 404, a stage without its journey a 400, naming it', async () => {
    const ask = (query: string) =>
      suite.platform.fetch(`/api/analytics/kpis?period=month${query}`, { token: suite.manager });
    assert.equal((await ask('&cohort=no-such-group')).status, 404);
    const response = await ask('&stage=booking');
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(await response.json()), /stage/);
  });

  test('the kept sums equal the full read, by journey, stage and cohort', async () => {
    const window = { period: 'month' as const, from: '2026-11-01', to: '2026-11-30' };
    const repository = scopeRepository(suite.platform.repository, {
      principal: analyticsService,
      context: { requestId: 'test' },
      auditDb: suite.platform.db,
    });
    const cohort = ['sv-p0', 'sv-p1', 'sv-p9'];
    const filterSets: [KpiFilters, string[] | undefined][] = [
      [{ journey: 'patient-journey' }, undefined],
      [{ journey: 'patient-journey', stage: 'diagnosis-treatment' }, undefined],
      [{ journey: 'chronic-care', location: 'loc-north' }, undefined],
      [{ cohort: 'c' }, cohort],
      [{ cohort: 'c', journey: 'patient-journey', stage: 'booking' }, cohort],
    ];
    for (const [filters, members] of filterSets)
      assert.deepEqual(
        await kpisFromFacts(suite.platform.db, { window, now, filters, cohort: members }),
        await computeKpis(repository, { window, now, filters, cohort: members }),
        JSON.stringify(filters),
      );
  });

  test('the facts follow the journey: an episode recomputed moves the answers to their new stage', async () => {
    const moved = journeyKpiClinic(3);
    for (const episode of episodesOf(3)) {
      const stored = await suite.platform.repository.read<EpisodeOfCare>('EpisodeOfCare', episode.id!);
      await suite.platform.repository.update({ ...stored, extension: episode.extension });
    }
    const figure = await november();
    assert.deepEqual(groupsOf(figure('satisfaction-by-stage')), rates(moved.truth.satisfactionByStage));
    const booking = (await november('&journey=patient-journey&stage=booking'))('satisfaction-score');
    assert.deepEqual(figureOf(booking!), rate(moved.truth.topBoxBooking));
  });
});
