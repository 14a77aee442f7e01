import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import {
  assertAccessible,
  launchChromium,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
} from './browser.ts';

/**
 * A file on a secure message at 375×667 (issue 20): Maya attaches a small PNG to a new message,
 * it is stored on her Communication, and the thread offers it for download by its name.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let page: Page;
let maya = '';
/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  buildWebApp({ info: () => {}, warn: (message: string) => console.warn(message) });
  platform = await startTestPlatform(pgliteBackend, { QUIET_HOURS: 'off' });
  maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
  } as never);
  await portalAccount(platform.db, { email: 'maya@portal.test', displayName: 'Maya Okafor', patient: maya });
  browser = await launchChromium();
  if (!browser) return;
  page = await phonePage(browser);
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

test('Maya attaches a small PNG to a message; the thread offers it by its name', async (t) => {
  if (!browser) return t.skip('no Chromium');
  await portalSignIn(page, platform.url, 'maya@portal.test');
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Messages' }).click();
  const form = page.getByRole('region', { name: 'New message' });
  await form.getByLabel('Subject').fill('My rash');
  await form.getByLabel('Message').fill('A photo, as you asked.');
  await form
    .getByLabel('Attachment (optional)')
    .setInputFiles({ name: 'rash.png', mimeType: 'image/png', buffer: PNG });
  await form.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status').getByText('Your message was sent.').waitFor();
  const thread = page
    .getByRole('region', { name: 'Conversations' })
    .getByRole('article', { name: 'My rash' });
  const link = thread.getByRole('link', { name: /rash\.png/ });
  await link.waitFor();
  assert.equal(await link.getAttribute('download'), 'rash.png');
  await screenshot(page, 'portal-message-attachment');
  await assertAccessible(page, 'Messages with an attachment');
  const bundle = (await platform.repository.search({
    resourceType: 'Communication',
    params: [['subject', `Patient/${maya}`]],
  })) as Bundle<Communication>;
  const attachment = bundle.entry?.[0]?.resource?.payload?.[1]?.contentAttachment;
  assert.equal(attachment?.contentType, 'image/png');
  assert.equal(attachment?.title, 'rash.png');
  assert.equal(attachment?.data, PNG.toString('base64'));
});
