import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient, Task } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import {
  assertAccessible,
  CHROMIUM,
  launchChromium,
  pagePixel,
  screenshot,
  signedInPage,
} from './browser.ts';

/**
 * The staff app end to end: one platform (PGlite, the demo clinic, demo accounts) and one
 * headless Chromium for every scenario; each user has their own browser context (cookies).
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let maya = '';

const twinRecord = (given: string): Patient => ({
  resourceType: 'Patient',
  meta: { source: 'https://riverside-family.example.org' },
  name: [{ family: 'Lindqvist', given: [given] }],
  gender: 'female',
  birthDate: '1965-06-26',
  telecom: [
    { system: 'phone', value: '+1-541-555-0199', use: 'mobile' },
    { system: 'email', value: `${given.toLowerCase()}.lindqvist@example.com` },
  ],
  address: [{ line: ['197 High Street'], city: 'Riverton', postalCode: '97406' }],
});

const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };

before(async () => {
  buildWebApp(quietLog);
  // No admin client: the demo accounts (frontdesk@, nurse@ … demo.clinic) are provisioned.
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  const seeded = await seedDemoClinic(platform.repository, { patients: 40, seed: 1, now: systemClock.now() });
  maya = seeded.truth.maya.gpPatientId;
  // Two records identity cannot decide on (same family, birth date, phone and address; other
  // given names): a pair for the review queue, whatever the seeded clinic's own noise gives.
  for (const given of ['Theresa', 'Kimberly']) await platform.repository.create<Patient>(twinRecord(given));
  await platform.worker.drain();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

const pageFor = (email: string) => signedInPage(browser!, { base: platform.url, email });

describe('the staff web app in Chromium', () => {
  let frontDesk: Page;
  let nurse: Page;

  test('front desk: sign in, session limits shown, find Maya by a misspelled name', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    frontDesk = await pageFor('frontdesk@demo.clinic');
    await frontDesk
      .getByTestId('session-limits')
      .getByText(/Signs out after 30 min idle/)
      .waitFor();
    await frontDesk.getByTestId('patient-search').fill('maya okafur');
    const result = frontDesk.getByRole('link', { name: /Maya Okafor/ }).first();
    await result.waitFor();
    await assertAccessible(frontDesk, 'find a patient');
    await screenshot(frontDesk, 'find-patient');
    await result.click();
    await frontDesk.getByTestId('patient-name').getByText('Maya Okafor').waitFor();
  });

  test('front desk: registering someone who is already there says "this person may already exist"', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await frontDesk.goto(platform.url);
    await frontDesk.getByRole('button', { name: 'Register a new patient' }).click();
    await frontDesk.locator('input[name=given]').fill('Maya');
    await frontDesk.locator('input[name=family]').fill('Okafor');
    await frontDesk.locator('input[name=birthDate]').fill('1988-04-12');
    const warning = frontDesk.getByTestId('may-exist');
    await warning.getByRole('link', { name: 'Maya Okafor' }).first().waitFor();
    await assertAccessible(frontDesk, 'registration');
    await screenshot(frontDesk, 'register-may-exist');
  });

  test('front desk: the 360 page has no lab values and no empty sections where they would be', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await frontDesk.goto(`${platform.url}/patients/${maya}`);
    await frontDesk
      .getByTestId('timeline')
      .getByText(/Appointments|Engagement/)
      .first()
      .waitFor();
    assert.equal(await frontDesk.getByTestId('labs-section').count(), 0, 'no labs section');
    const text = await frontDesk.locator('main').innerText();
    assert.doesNotMatch(text, /HbA1c|mg\/dL|mmol|Hemoglobin A1c/i, 'no lab value anywhere on the page');
    assert.doesNotMatch(text, /Clinical summary/, 'no clinical summary');
    await assertAccessible(frontDesk, 'patient 360 (front desk)');
    await screenshot(frontDesk, 'patient-360-front-desk');
  });

  test('nurse: the 360 page shows labs with reference ranges; the timeline filters by category', async (t) => {
    if (!browser) return t.skip('no Chromium');
    nurse = await pageFor('nurse@demo.clinic');
    await nurse.goto(`${platform.url}/patients/${maya}`);
    const labs = nurse.getByTestId('labs-section');
    await labs.getByRole('columnheader', { name: 'Reference range' }).waitFor();
    assert.match(await labs.innerText(), /HbA1c/);
    const timeline = nurse.getByTestId('timeline');
    await timeline.getByTestId('timeline-category').first().waitFor();
    await assertAccessible(nurse, 'patient 360 (nurse)');
    await screenshot(nurse, 'patient-360-nurse');
    // Past the first four, what needs attention is one click away, not a dead "and N more".
    const attention = nurse.locator('[aria-label="What needs attention"]');
    const listed = attention.getByRole('listitem');
    const more = attention.getByRole('button', { name: /^Show \d+ more$/ });
    if ((await listed.count()) === 4 && (await more.count()) === 1) {
      const hidden = Number((await more.innerText()).match(/\d+/)![0]);
      await more.click();
      assert.equal(await listed.count(), 4 + hidden, 'every item listed');
      await attention.getByRole('button', { name: 'Show fewer' }).click();
    }
    assert.doesNotMatch(await attention.innerText(), /and \d+ more/);
    // Every entry reads in words: no bare FHIR type ("EpisodeOfCare"), no "(DiagnosticReport/…)".
    const titles = await timeline.getByTestId('timeline-title').allInnerTexts();
    const raw = /^[A-Z][a-z]+(?:[A-Z][a-z]+)+$|\([A-Z][A-Za-z]+\/[\w.-]+\)/;
    assert.deepEqual(
      titles.filter((title) => raw.test(title)),
      [],
      'timeline titles in words',
    );
    assert.ok(
      titles.some((title) => title.startsWith('Care episode: ')),
      'her journey’s episode, named',
    );
    // The nav column's white runs the whole page, not only the first screen (a full-page capture).
    const bottom = await nurse.evaluate(() => document.documentElement.scrollHeight - 20);
    assert.ok(bottom > 1200, 'the 360 page is taller than the screen');
    assert.equal(
      await pagePixel(nurse, { x: 120, y: bottom }),
      'rgb(255, 255, 255)',
      'nav column at the bottom',
    );
    await timeline.getByText(/^Labs \(\d+\)$/).click();
    await nurse.waitForFunction(() => {
      const badges = [...document.querySelectorAll('[data-testid="timeline-category"]')];
      return badges.length > 0 && badges.every((badge) => badge.textContent === 'Labs');
    });
  });

  test('nurse: claim a care gap, then complete it; it leaves the list', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await nurse
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Worklists/ })
      .click();
    const first = nurse.getByTestId('worklist-item').first();
    await first.waitFor();
    const task = await first.getAttribute('data-task');
    await assertAccessible(nurse, 'worklists');
    await screenshot(nurse, 'worklists');
    const row = nurse.locator(`[data-task="${task}"]`);
    // Its state in words, not the Task.status code ("requested", "in-progress").
    await row.getByText('Open', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Claim' }).click();
    await row.getByRole('button', { name: 'Release' }).waitFor();
    await row.getByText('In progress', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Complete' }).click();
    await row.waitFor({ state: 'detached' });
  });

  test('nurse: with no result on hold, Results to review says why in words, not a setting name', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await nurse
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Results to review/ })
      .click();
    await nurse.getByText('No results on hold.', { exact: false }).waitFor();
    assert.doesNotMatch(await nurse.locator('main').innerText(), /RESULT_HOLD|[A-Z]+_[A-Z]+/);
  });

  test('nurse: a possible duplicate is compared side by side and marked not a duplicate', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await nurse
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Duplicate review/ })
      .click();
    await nurse.getByTestId('compare').getByText('Birth date').waitFor();
    const task = nurse.url().split('/duplicates/')[1]!;
    await assertAccessible(nurse, 'duplicate review');
    await screenshot(nurse, 'duplicate-review');
    await nurse.getByRole('button', { name: 'Not a duplicate' }).click();
    await nurse.getByText('Marked as not a duplicate.').waitFor();
    const stored = await platform.repository.read<Task>('Task', task);
    assert.equal(stored.status, 'rejected');
  });

  test('nurse: the journey map shows the funnel; a reload keeps the session, with no token stored', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await nurse
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Journey map/ })
      .click();
    await nurse.getByTestId('funnel').getByText('Awareness and acknowledgement').waitFor();
    // The click-through: a stage with people in it lists them, each a link to their 360 page.
    await nurse
      .getByRole('button', { name: /list the [1-9]\d* patients/ })
      .first()
      .click();
    await nurse.getByTestId('stage-member').first().getByRole('link').waitFor();
    // The clinic filter: the organizations are offered by name, and the funnel answers for one.
    const answered = nurse.waitForResponse((response) => response.url().includes('clinic=Organization'));
    await nurse.getByLabel('Clinic', { exact: true }).first().click();
    await nurse.getByRole('option', { name: 'Riverside Family Practice', exact: true }).click();
    await answered;
    await nurse.getByTestId('funnel').waitFor();
    await assertAccessible(nurse, 'journey map');
    await screenshot(nurse, 'journey-map');
    await nurse.reload();
    await nurse.getByTestId('funnel').waitFor();
    const stored = await nurse.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    assert.doesNotMatch(stored, /eyJ/, 'no token in web storage');
  });
});
