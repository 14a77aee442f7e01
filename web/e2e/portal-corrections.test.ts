import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Task } from '@medplum/fhirtypes';
import type { Browser } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { CHROMIUM, assertAccessible, launchChromium, portalAccount, screenshot } from './browser.ts';

/**
 * "Ask us to correct something" in the portal (issue 20, right to amend), at 375×667: under
 * Settings, Maya says what is wrong; it lands as a Task on the staff's record-corrections
 * worklist and shows in her list as sent, then with the clinic's answer.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let maya = '';
const PASSWORD = 'portal-password';

before(async () => {
  buildWebApp({ info: () => {}, warn: (message: string) => console.warn(message) });
  platform = await startTestPlatform(pgliteBackend);
  maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
  } as never);
  await portalAccount(platform.db, { email: 'maya@portal.test', displayName: 'Maya Okafor', patient: maya });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

const hers = async () =>
  (
    (await platform.repository.search({
      resourceType: 'Task',
      params: [['patient', `Patient/${maya}`]],
    })) as Bundle<Task>
  ).entry?.map((entry) => entry.resource!) ?? [];

describe('asking for a correction in the portal', () => {
  test('at 375×667 Maya asks to correct her record and sees the clinic’s answer', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await page.goto(`${platform.url}/portal/preferences`);
    await page.locator('input[name=email]').fill('maya@portal.test');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Ask us to correct something' });
    await section.getByText('You have not asked for a correction.').waitFor();
    await section
      .getByLabel('What is wrong in your record?')
      .fill('My date of birth is 12 March, not 21 March');
    await section.getByRole('button', { name: 'Ask for a correction' }).click();
    await section.getByText('Sent. The clinic will review it').waitFor();
    await section.getByRole('listitem').getByText('My date of birth is 12 March').waitFor();
    const [task] = await hers();
    assert.equal(task?.status, 'requested');
    assert.equal(task?.performerType?.[0]?.coding?.[0]?.code, 'record-corrections', 'on the staff worklist');
    await screenshot(page, 'portal-correction-phone');
    await assertAccessible(page, 'Settings with a correction request (phone)');
    await platform.update({
      ...task!,
      status: 'rejected',
      statusReason: { text: 'We checked your passport copy' },
    });
    await page.reload();
    await section.getByText('Not changed').waitFor();
    await section.getByText('We checked your passport copy', { exact: false }).waitFor();
    await assertAccessible(page, 'Settings with an answered correction (phone)');
  });
});
