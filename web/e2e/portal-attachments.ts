import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
  type PortalSuite,
} from './browser.ts';

/**
 * A file on a secure message at 375×667 (issue 20): Maya attaches a small PNG to a new message,
 * it is stored on her Communication, and the thread offers it for download by its name. Run by
 * `portal-care.test.ts`; the account is this scenario's own.
 */
const EMAIL = 'maya@attachments.test';
/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export function attachmentScenarios(suite: PortalSuite): void {
  let page: Page;
  let maya = '';

  describe('a file on a secure message, at 375×667', () => {
    before(async () => {
      const platform = suite.platform;
      maya = await platform.create({
        resourceType: 'Patient',
        name: [{ given: ['Maya'], family: 'Okafor' }],
      } as never);
      await portalAccount(platform.db, { email: EMAIL, displayName: 'Maya Okafor', patient: maya });
      if (suite.browser) page = await phonePage(suite.browser);
    });

    test('Maya attaches a small PNG to a message; the thread offers it by its name', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      await portalSignIn(page, suite.platform.url, EMAIL);
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
      const bundle = (await suite.platform.repository.search({
        resourceType: 'Communication',
        params: [['subject', `Patient/${maya}`]],
      })) as Bundle<Communication>;
      const attachment = bundle.entry?.[0]?.resource?.payload?.[1]?.contentAttachment;
      assert.equal(attachment?.contentType, 'image/png');
      assert.equal(attachment?.title, 'rash.png');
      assert.equal(attachment?.data, PNG.toString('base64'));
    });
  });
}
