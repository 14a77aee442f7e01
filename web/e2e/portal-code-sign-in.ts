import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recipientOf } from '../../src/engagement/testing/smtp-sink.ts';
import { addPatientAccount, codeIn } from '../../src/server/testing/sign-in-code-flows.ts';
import { assertAccessible, CHROMIUM, screenshot, type PortalSuite } from './browser.ts';

/**
 * "No password to remember" in Chromium at a small phone's size: a patient asks for a code by
 * email on the portal's sign-in page, reads it from a real SMTP server, mistypes it once (and
 * is told so), then signs in with it. Run by `portal-accounts.test.ts`.
 */
export function codeSignInScenarios(suite: PortalSuite): void {
  describe('the portal sign-in by a one-time code', () => {
    test('Email me a code: the code from the mail signs her in; a wrong one says so', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const patient = await addPatientAccount(suite.platform);
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
      await page.goto(`${suite.platform.url}/portal`);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      await page.getByRole('textbox', { name: 'Email' }).fill(patient.email);
      await page.getByRole('button', { name: 'Send me a code' }).click();
      const codeForm = page.getByRole('form', { name: 'Enter your code' });
      await codeForm.getByText(/we sent a 6-digit code/).waitFor();
      await assertAccessible(page, 'the code step at 375×667');
      const code = codeIn((await suite.smtp.waitFor((mail) => recipientOf(mail) === patient.email)).text);

      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByRole('textbox', { name: '6-digit code' }).fill(wrong);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('That code is wrong or has expired').waitFor();
      await screenshot(page, 'portal-code-wrong-375');

      await page.getByRole('textbox', { name: '6-digit code' }).fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Portal' }).waitFor();
      await context.close();
    });

    test('Text me a code asks for a mobile number with its country code, and refuses a local one', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip('no Chromium');
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
      const page = await context.newPage();
      // Held until checked: the page while it asks whether a session is still open.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/auth/session/token', async (route) => (await held, route.continue()));
      await page.goto(`${suite.platform.url}/portal`);
      await page.getByLabel('Loading').waitFor();
      await assertAccessible(page, 'the portal while it loads');
      release();
      await page.getByRole('button', { name: 'Text me a code' }).waitFor();
      await assertAccessible(page, 'the sign-in page at 375×667');
      await screenshot(page, 'portal-sign-in-375');
      await page.getByRole('button', { name: 'Text me a code' }).click();
      await page.getByRole('textbox', { name: 'Mobile number' }).fill('541 555 2674');
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page
        .getByRole('alert')
        .getByText(/starting with \+ and the country code/)
        .waitFor();
      await assertAccessible(page, 'the number step with its error at 375×667');
      await page.getByRole('button', { name: 'Sign in with a password instead' }).click();
      // A refused password is told in the page too (no browser password dialog stands in the way).
      await page.locator('input[name=email]').fill('nobody@example.test');
      await page.locator('input[name=password]').fill('not-her-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('Invalid email, password or one-time code').waitFor();
      await context.close();
    });
  });
}
