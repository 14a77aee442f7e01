import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Group, Location, Patient, Practitioner } from '@medplum/fhirtypes';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { searchAll } from '../../src/store/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { staffToken } from '../../src/server/testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import {
  assertAccessible,
  CHROMIUM,
  launchChromium,
  overflowX,
  phonePage,
  screenshot,
  SCREENSHOTS,
  signedInPage,
} from './browser.ts';

/**
 * The practice manager's KPI page in Chromium (issue 21): filtered by location, practitioner and
 * channel, by a journey and a stage of it, and by a saved cohort (a FHIR Group); each figure shown
 * equals the API's for the same filters, and a figure opens the patients behind it, each a link to
 * their 360 view. One platform (PGlite, a 20-patient demo clinic whose journeys the engine has derived).
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

interface ApiKpi {
  id: string;
  title: string;
  kind: string;
  buckets: {
    bucket: string;
    value: number | null;
    numerator: number;
    patients: string;
    groups?: Record<string, unknown>;
  }[];
}

/**
 * The practice manager's sign-in, once for the file: a sign-in per call ran into the per-account
 * sign-in limit (`AUTH_RATE_LIMIT_PER_ACCOUNT`, 10 a minute) and answered 401.
 */
let managerToken: Promise<string> | undefined;

/** The practice manager's answer to `GET path` (200 checked). */
async function managerGet<T>(path: string): Promise<T> {
  managerToken ??= staffToken(platform, 'practice-manager');
  const response = await platform.fetch(path, { token: await managerToken });
  assert.equal(response.status, 200, path);
  return (await response.json()) as T;
}

/** The latest figure of each KPI as the API answers it for a query, in the page's words. */
async function apiFigures(query: string): Promise<Record<string, string>> {
  const answer = await managerGet<{ kpis: ApiKpi[] }>(`/api/analytics/kpis?period=month${query}`);
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

/** A by-stage card's breakdown names each stage as the journey catalog does, never by its code. */
async function assertStagesNamed(page: Page): Promise<void> {
  const journeys =
    await managerGet<{ id: string; stages: { code: string; display: string }[] }[]>('/api/journeys');
  const stages = journeys.find((journey) => journey.id === 'patient-journey')!.stages;
  const name = (code: string) =>
    code === 'none' ? 'No journey stage' : stages.find((stage) => stage.code === code)?.display;
  const answer = await managerGet<{ kpis: ApiKpi[] }>('/api/analytics/kpis?period=month');
  for (const kpi of answer.kpis.filter((each) => each.id.endsWith('-by-stage'))) {
    const expected = Object.keys(kpi.buckets.at(-1)?.groups ?? {}).map(name);
    if (expected.length === 0) continue;
    const groups = page.getByRole('region', { name: kpi.title, exact: true }).getByTestId('kpi-groups');
    await groups.getByText(`${expected[0]}:`).waitFor();
    const shown = (await groups.innerText()).split('\n').map((line) => line.split(': ')[0]);
    assert.deepEqual(shown, expected, `${kpi.title}: stages by name`);
  }
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

    await assertStagesNamed(manager);

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

  test('filtered by location, practitioner and channel, the figures are the API’s', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const { location, practitioner } = await busiestPair();
    const manager = await signedInPage(browser, { base: platform.url, email: 'manager@demo.clinic' });
    await manager.goto(`${platform.url}/kpis`);
    await manager.getByTestId('kpi').first().waitFor();
    const every = await pageFigures(manager);

    await choose(manager, 'Location', location.label, `location=${location.id}`);
    assert.deepEqual(await pageFigures(manager), await apiFigures(`&location=${location.id}`));
    await choose(manager, 'Practitioner', practitioner.label, `practitioner=${practitioner.id}`);
    const both = await apiFigures(`&location=${location.id}&practitioner=${practitioner.id}`);
    assert.deepEqual(await pageFigures(manager), both);
    assert.ok(Object.keys(both).length < Object.keys(every).length, 'KPIs without a location are left out');
    await screenshot(manager, 'kpis-location-practitioner');

    await manager.goto(`${platform.url}/kpis`);
    await choose(manager, 'Channel', 'SMS', 'channel=sms');
    assert.deepEqual(await pageFigures(manager), await apiFigures('&channel=sms'));
  });

  test('a figure opens the patients behind it, each a link to their 360 view (desktop and phone)', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const { kpis } = await managerGet<{ kpis: ApiKpi[] }>('/api/analytics/kpis?period=month');
    // A rate with patients both in and out of its numerator, so the two lists differ.
    const kpi = kpis.find((each) => {
      const latest = each.buckets.at(-1)!;
      return each.kind === 'rate' && latest.numerator > 0 && latest.value! < 1;
    });
    assert.ok(kpi, 'the demo clinic has a rate strictly between 0 and 1 this month');
    const link = kpi.buckets.at(-1)!.patients;
    const numerator = await managerGet<Behind>(`${link}&set=numerator`);
    const denominator = await managerGet<Behind>(`${link}&set=denominator`);
    assert.ok(denominator.total > numerator.total);

    const manager = await signedInPage(browser, { base: platform.url, email: 'manager@demo.clinic' });
    await manager.goto(`${platform.url}/kpis`);
    const dialog = await openPatients(manager, kpi.title);
    assert.deepEqual(await listed(dialog), expected(numerator));
    const title = () => dialog.locator('.mantine-Modal-title').innerText();
    assert.match(await title(), /: the patients behind /);
    await dialog.getByText('All considered').click();
    await dialog.getByTestId('kpi-patients-total').getByText(`${denominator.total} patients`).waitFor();
    assert.deepEqual(await listed(dialog), expected(denominator));
    // The title says which set is listed: not "the patients behind" the rate under "All considered".
    assert.match(await title(), /: all the patients considered for /);
    await screenshotShown(manager, 'kpis-patients');
    await assertAccessible(manager, 'the patients behind a KPI');

    const first = denominator.patients[0]!;
    await dialog
      .getByRole('link', { name: first.name ?? first.id })
      .first()
      .click();
    await manager.waitForURL(`${platform.url}/patients/${first.id}`);
    await manager.getByTestId('patient-name').waitFor();

    const phone = await phonePage(browser);
    await phone.goto(platform.url);
    await phone.locator('input[name=email]').fill('manager@demo.clinic');
    await phone.locator('input[name=password]').fill('demo-password');
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('button', { name: 'Open navigation' }).waitFor();
    await phone.goto(`${platform.url}/kpis`);
    await phone.getByTestId('kpi').first().waitFor();
    await screenshot(phone, 'kpis-phone');
    assert.equal(await overflowX(phone), 0, 'nothing is wider than the phone');
    const onPhone = await openPatients(phone, kpi.title);
    assert.deepEqual(await listed(onPhone), expected(numerator));
    await screenshotShown(phone, 'kpis-patients-phone');
    await assertAccessible(phone, 'the patients behind a KPI, on a phone');
  });
});

/** A drill-down answer: how many patients are behind a figure, and those the caller may see. */
interface Behind {
  total: number;
  patients: { id: string; name?: string }[];
}

/** A Location or Practitioner as the filter names it. */
function choiceOf(resource: Location | Practitioner) {
  if (resource.resourceType === 'Location') return { id: resource.id!, label: resource.name ?? resource.id! };
  const name = resource.name?.[0];
  const label = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  return { id: resource.id!, label };
}

/** The location and practitioner of the most appointments, so the filtered figures are not all empty. */
async function busiestPair() {
  const appointments = await searchAll<Appointment>(platform.repository, {
    resourceType: 'Appointment',
    params: [],
  });
  const pairs = new Map<string, number>();
  for (const appointment of appointments) {
    const actors = (appointment.participant ?? []).map((each) => each.actor?.reference ?? '');
    const location = actors.find((actor) => actor.startsWith('Location/'));
    const practitioner = actors.find((actor) => actor.startsWith('Practitioner/'));
    if (location && practitioner)
      pairs.set(`${location} ${practitioner}`, (pairs.get(`${location} ${practitioner}`) ?? 0) + 1);
  }
  const [busiest] = [...pairs].sort((a, b) => b[1] - a[1]);
  assert.ok(busiest, 'the demo clinic has appointments at a location');
  const [location, practitioner] = busiest[0].split(' ').map((reference) => reference.split('/')[1]!);
  return {
    location: choiceOf(await platform.repository.read<Location>('Location', location!)),
    practitioner: choiceOf(await platform.repository.read<Practitioner>('Practitioner', practitioner!)),
  };
}

/** What is on the screen now (a dialog over the page), not the whole page stitched. */
async function screenshotShown(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Clicks a card's figure; the dialog listing the patients behind it, once they are shown. */
async function openPatients(page: Page, title: string) {
  await page.getByRole('button', { name: new RegExp(`^${title}: .*, show the patients$`) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('kpi-patients-total').waitFor({ timeout: 120_000 });
  return dialog;
}

const listed = async (dialog: Locator) =>
  (await dialog.getByRole('link').allInnerTexts()).map((text) => text.trim()).sort();
const expected = (behind: Behind) => behind.patients.map((patient) => patient.name ?? patient.id).sort();
