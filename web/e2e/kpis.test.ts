import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Group, Patient } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { searchAll } from '../../src/store/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { staffToken } from '../../src/server/testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { assertAccessible, CHROMIUM, launchChromium, screenshot, signedInPage } from './browser.ts';

/**
 * The practice manager's KPI page in Chromium (issue 21): filtered by a journey and a stage of
 * it, and by a saved cohort (a FHIR Group); each figure shown equals the API's for the same
 * filters. One platform (PGlite, a 20-patient demo clinic whose journeys the engine has derived).
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let cohortId: string;
const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };

before(async () => {
  buildWebApp(quietLog);
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  await seedDemoClinic(platform.repository, { patients: 20, seed: 7, now: systemClock.now() });
  const patients = await searchAll<Patient>(platform.repository, { resourceType: 'Patient', params: [] });
  const cohort: Group = {
    resourceType: 'Group',
    name: 'Diabetes review list',
    type: 'person',
    actual: true,
    member: patients.slice(0, 8).map((patient) => ({ entity: { reference: `Patient/${patient.id}` } })),
  };
  cohortId = (await platform.repository.create(cohort)).resource.id!;
  await platform.worker.drain();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

/** The latest figure of each KPI as the API answers it for a query, in the page's words. */
async function apiFigures(query: string): Promise<Record<string, string>> {
  const token = await staffToken(platform, 'practice-manager');
  const response = await platform.fetch(`/api/analytics/kpis?period=month${query}`, { token });
  assert.equal(response.status, 200);
  const answer = (await response.json()) as {
    kpis: { title: string; kind: string; buckets: { value: number | null }[] }[];
  };
  const words = (kind: string, value: number | null | undefined) =>
    value === null || value === undefined
      ? '—'
      : kind === 'rate'
        ? `${Math.round(value * 1000) / 10}%`
        : kind === 'median'
          ? `${Math.round(value * 10) / 10} d`
          : String(value);
  return Object.fromEntries(
    answer.kpis.map((kpi) => [kpi.title, words(kpi.kind, kpi.buckets.at(-1)?.value)]),
  );
}

/** The figures the page shows, by card title. */
async function pageFigures(page: Page): Promise<Record<string, string>> {
  const cards = page.getByTestId('kpi');
  const shown: Record<string, string> = {};
  for (const card of await cards.all())
    shown[(await card.getByRole('heading').innerText()).trim()] = (
      await card.getByTestId('kpi-value').innerText()
    ).trim();
  return shown;
}

async function choose(page: Page, label: string, option: string, answered: string): Promise<void> {
  // A loaded machine answers slowly: the default 30 s is not enough for a KPI answer there.
  const response = page.waitForResponse(
    (r) => r.url().includes('/api/analytics/kpis') && r.url().includes(answered),
    { timeout: 120_000 },
  );
  await page.getByLabel(label, { exact: true }).first().click();
  await page.getByRole('option', { name: option }).click();
  assert.equal((await response).status(), 200);
  await page.getByTestId('kpi').first().waitFor();
}

describe('KPIs in the staff app', () => {
  test('filtered by journey stage and by a cohort, the figures are the API’s', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const manager = await signedInPage(browser, { base: platform.url, email: 'manager@demo.clinic' });
    await manager.goto(`${platform.url}/kpis`);
    await manager.getByTestId('kpi').first().waitFor();
    assert.deepEqual(await pageFigures(manager), await apiFigures(''));
    assert.ok(
      await manager
        .getByRole('heading', { name: /by journey stage/ })
        .first()
        .isVisible(),
    );

    await choose(manager, 'Journey', 'Patient journey', 'journey=patient-journey');
    await screenshot(manager, 'kpis-journey');
    await choose(manager, 'Stage', 'Selection, appointments and initial contact', 'stage=booking');
    const byStage = await apiFigures('&journey=patient-journey&stage=booking');
    assert.deepEqual(await pageFigures(manager), byStage);
    assert.ok(
      !Object.keys(byStage).some((title) => title.startsWith('Chronic medications')),
      'adherence is not by stage',
    );

    await choose(manager, 'Cohort', 'Diabetes review list', `cohort=${cohortId}`);
    const inCohort = await apiFigures(`&journey=patient-journey&stage=booking&cohort=${cohortId}`);
    assert.deepEqual(await pageFigures(manager), inCohort);
    await screenshot(manager, 'kpis-journey-cohort');
    await assertAccessible(manager, 'the KPI page, filtered');
  });
});
