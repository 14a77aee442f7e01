import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Communication, Group, Task } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { searchAll } from '../../src/store/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { assertAccessible, CHROMIUM, launchChromium, screenshot, signedInPage } from './browser.ts';

/**
 * A care coordinator's campaign in Chromium (issue 16): "diabetics with an open HbA1c gap"
 * chosen by the care gap, previewed (who gets what, who does not and why), launched twice
 * by an impatient click (one campaign), and its report. One platform (PGlite, a 30-patient
 * demo clinic whose journeys are computed) and one browser for the file.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let withGap = 0;

const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };
const HBA1C_GAP = 'https://throughline.dev/fhir/CodeSystem/journey-signal|diabetes-hba1c-overdue';

before(async () => {
  buildWebApp(quietLog);
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  await seedDemoClinic(platform.repository, { patients: 30, seed: 5, now: systemClock.now() });
  await platform.worker.drain();
  const gaps = await searchAll<Task>(platform.repository, {
    resourceType: 'Task',
    params: [
      ['code', HBA1C_GAP],
      ['status', 'requested,in-progress,on-hold'],
    ],
  });
  withGap = new Set(gaps.map((task) => task.for?.reference)).size;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('campaigns in the staff app', () => {
  let coordinator: Page;

  test('a coordinator previews a campaign to the diabetics with an open HbA1c gap', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    assert.ok(withGap > 0, 'the demo clinic has diabetics with an open HbA1c gap');
    coordinator = await signedInPage(browser, { base: platform.url, email: 'coordinator@demo.clinic' });
    await coordinator
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Engagement/ })
      .click();
    await coordinator.getByRole('tab', { name: 'Campaigns' }).click();
    const form = coordinator.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Open care gap').selectOption({ label: 'Diabetes: no HbA1c in 6 months' });
    await form.getByLabel('Campaign name').fill('HbA1c recall, December');
    await form.getByLabel('Purpose').selectOption('care-gap');
    await form.getByLabel('At most per hour').fill('120');
    assert.equal(await form.getByRole('button', { name: 'Launch' }).isDisabled(), true, 'preview first');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = coordinator.getByRole('region', { name: 'Preview' });
    await preview.getByText(`${withGap} people`).waitFor();
    assert.equal(await preview.getByTestId('preview-row').count(), withGap);
    await assertAccessible(coordinator, 'campaigns, preview');
    await screenshot(coordinator, 'campaign-preview');
  });

  test('launching (clicked twice) makes one campaign, and its report adds up', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const form = coordinator.getByRole('form', { name: 'New campaign' });
    const launch = form.getByRole('button', { name: 'Launch' });
    await launch.click();
    await launch.click({ trial: false, force: true }).catch(() => undefined);
    const report = coordinator.getByRole('region', { name: 'Campaign report' });
    await report.getByText('Cohort: open care gap: Diabetes: no HbA1c in 6 months').waitFor();
    const figure = async (label: string) => Number(await report.getByTestId(`report-${label}`).textContent());
    const states = await Promise.all(['scheduled', 'due', 'deferred', 'sent', 'stopped'].map(figure));
    assert.equal(
      states.reduce((a, b) => a + b, 0),
      withGap,
      `one request per person: ${states.join(', ')}`,
    );
    const campaigns = await searchAll<Group>(platform.repository, {
      resourceType: 'Group',
      params: [['code', 'https://throughline.dev/fhir/CodeSystem/engagement|campaign']],
    });
    assert.equal(campaigns.length, 1, 'a second click launched nothing more');
    await coordinator
      .getByRole('region', { name: 'Campaigns' })
      .getByRole('button', { name: /HbA1c recall, December/ })
      .waitFor();
    await assertAccessible(coordinator, 'campaigns, report');
    await screenshot(coordinator, 'campaign-report');
  });
});

describe("answering a patient's message from Needs attention", () => {
  const ANSWER = 'https://throughline.dev/fhir/CodeSystem/journey-signal|answer-patient-message';
  const QUESTION = 'Can I bring my daughter to the appointment?';
  const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
  const openAnswerFor = async (message: string) =>
    (
      await searchAll<Task>(platform.repository, {
        resourceType: 'Task',
        params: [
          ['code', ANSWER],
          ['status', 'requested,in-progress,on-hold'],
        ],
      })
    ).filter((task) => task.focus?.reference === `Communication/${message}`);

  test('the coordinator reads what the patient wrote, replies on its channel, and the item closes once sent', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    // Someone the clinic has texted before: a demo patient with a mobile who accepts SMS.
    const texted = await searchAll<Communication>(platform.repository, {
      resourceType: 'Communication',
      params: [
        ['medium', `${MODE}|SMSWRIT`],
        ['status', 'completed'],
      ],
    });
    const patient = texted.find((c) => !c.sender?.reference?.startsWith('Patient/'))?.subject?.reference;
    assert.ok(patient, 'the demo clinic has texted someone');
    const { resource: sent } = await platform.repository.create<Communication>({
      resourceType: 'Communication',
      status: 'completed',
      medium: [
        {
          coding: [{ system: MODE, code: 'SMSWRIT' }],
        },
      ],
      subject: { reference: patient },
      sender: { reference: patient },
      received: new Date().toISOString(),
      payload: [{ contentString: QUESTION }],
    });
    const message = sent.id!;
    await platform.worker.drain();
    assert.equal((await openAnswerFor(message)).length, 1, 'the message is on the unanswered-messages list');
    const page = await signedInPage(browser, { base: platform.url, email: 'coordinator@demo.clinic' });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Engagement/ })
      .click();
    const item = page
      .getByRole('region', { name: 'Unanswered messages' })
      .getByTestId('attention-item')
      .filter({ hasText: QUESTION });
    await item.getByText('SMS', { exact: true }).waitFor();
    await item.getByRole('button', { name: /^Reply to / }).click();
    await item.getByLabel('Reply by SMS').fill('Of course, see you then.');
    await item.getByRole('button', { name: 'Send reply' }).click();
    await item.getByRole('status').getByText('Reply queued on SMS').waitFor();
    await assertAccessible(page, 'needs attention, a reply queued');
    await screenshot(page, 'engagement-reply');
    await platform.worker.drain();
    assert.deepEqual(await openAnswerFor(message), [], 'the reply, once sent, closed the item');
    await page.close();
  });
});
