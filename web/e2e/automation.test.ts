import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Patient, PlanDefinition } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { saveRule } from '../../src/automation/index.ts';
import { ruleOf, step } from '../../src/automation/testing/rule-builder.ts';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { searchAll } from '../../src/store/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { assertAccessible, CHROMIUM, launchChromium, screenshot, signedInPage } from './browser.ts';

/**
 * A practice manager's view of automation in Chromium (issue 17): the rules (the demo clinic's
 * recipes, a draft, one that fails), a failed run with its reason, and a draft dry-run and then
 * activated. One platform (PGlite, a 20-patient demo clinic) and one browser for the file.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let changedPatient: Patient;

const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };

const failing: PlanDefinition = ruleOf({
  title: 'Tell the billing system about address changes',
  resourceType: 'Patient',
  on: 'data-modified',
  actions: [step('webhook', { url: "'https://billing.example/hooks/patient'" })],
  status: 'active',
});
const draft: PlanDefinition = ruleOf({
  title: 'Coordinator task for every cancelled visit',
  resourceType: 'Appointment',
  on: 'data-modified',
  when: "%resource.status = 'cancelled'",
  actions: [step('task', { description: "'Offer a new time'" })],
});

before(async () => {
  buildWebApp(quietLog);
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  await seedDemoClinic(platform.repository, { patients: 20, seed: 7, now: systemClock.now() });
  await saveRule(platform.repository, failing, { trusted: true });
  await saveRule(platform.repository, draft);
  // A write the failing rule acts on: its webhook is refused (no AUTOMATION_WEBHOOK_SECRET).
  const [patient] = await searchAll<Patient>(platform.repository, { resourceType: 'Patient', params: [] });
  await platform.repository.update({ ...patient!, gender: patient!.gender === 'male' ? 'female' : 'male' });
  changedPatient = patient!;
  await platform.worker.drain();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('automation in the staff app', () => {
  let manager: Page;
  const row = (title: string) => manager.getByTestId('rule-row').filter({ hasText: title });

  test('a practice manager sees the rules and why a run failed', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    manager = await signedInPage(browser, { base: platform.url, email: 'manager@demo.clinic' });
    await manager
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Automation/ })
      .click();
    await row('Coordinator task for every cancelled visit').waitFor();
    assert.ok(
      (await manager.getByTestId('rule-row').count()) >= 6,
      'the recipes, the draft and the failing rule',
    );
    assert.match(
      (await row('Coordinator task for every cancelled visit').textContent()) ?? '',
      /Create task: "Offer a new time".*Draft.*Appointment updated, when its condition holds.*Not run yet/s,
    );
    // Steps in words, not codes: the recipes say what they send.
    assert.match((await row('Lab result final').textContent()) ?? '', /Send message: Results ready/);
    await row('address changes').getByText('Failed').waitFor();
    await manager.getByRole('button', { name: 'Open Tell the billing system about address changes' }).click();
    const detail = manager.getByRole('region', {
      name: 'Rule: Tell the billing system about address changes',
    });
    const run = detail.getByTestId('run-row').first();
    await run.getByText('AUTOMATION_WEBHOOK_SECRET is not set', { exact: false }).first().waitFor();
    // When (clinic time), how it ended and what happened, in words; the references one click away.
    assert.match(
      (await run.textContent()) ?? '',
      /Today \d\d:\d\d.*Failed.*Patient updated.*Webhook call failed: AUTOMATION_WEBHOOK_SECRET is not set/s,
    );
    const reference = run.getByText(/^PlanDefinition\/[\w-]+\/_history\/\d+$/);
    assert.equal(await reference.isVisible(), false, 'the rule version waits behind Details');
    await run.getByText('Details', { exact: true }).click();
    await reference.waitFor();
    // The run names its patient, linked to the 360 view, not only by id.
    const name = [...(changedPatient.name?.[0]?.given ?? []), changedPatient.name?.[0]?.family].join(' ');
    const byName = detail.getByRole('link', { name }).first();
    await byName.waitFor();
    assert.match((await byName.getAttribute('href')) ?? '', /^\/patients\/[\w-]+$/);
    await assertAccessible(manager, 'automation, a failed run');
    await screenshot(manager, 'automation-runs');
  });

  test('a draft is activated after its dry run, not before', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    await manager.getByRole('button', { name: 'Open Coordinator task for every cancelled visit' }).click();
    const detail = manager.getByRole('region', { name: 'Rule: Coordinator task for every cancelled visit' });
    const activate = detail.getByRole('button', { name: 'Activate' });
    assert.equal(await activate.isDisabled(), true, 'a dry run first');
    await detail.getByRole('button', { name: /Dry run/ }).click();
    const result = detail.getByRole('region', { name: 'Dry run result' });
    await result.getByTestId('dry-run-summary').or(detail.getByRole('alert')).waitFor();
    assert.equal(await detail.getByRole('alert').count(), 0, (await detail.textContent()) ?? '');
    assert.match(
      (await result.getByTestId('dry-run-summary').textContent()) ?? '',
      /^\d+ would act, \d+ stopped, of \d+ changes examined since .*Nothing was sent or changed\.$/,
    );
    await assertAccessible(manager, 'automation, a dry run');
    await screenshot(manager, 'automation-dry-run');
    await activate.click();
    await row('Coordinator task for every cancelled visit').getByText('active').waitFor();
    const [stored] = await searchAll<PlanDefinition>(platform.repository, {
      resourceType: 'PlanDefinition',
      params: [['title', 'Coordinator task for every cancelled visit']],
    });
    assert.equal(stored?.status, 'active');
    assert.equal(stored?.meta?.versionId, '2');
  });
});
