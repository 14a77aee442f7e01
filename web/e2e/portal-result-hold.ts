import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { upsertUser } from '../../src/access/index.ts';
import { labResult } from '../../src/server/testing/hold-fixture.ts';
import {
  CHROMIUM,
  assertAccessible,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
  signedInPage,
  type PortalSuite,
} from './browser.ts';

/**
 * Issue 20 in Chromium: the clinic holds laboratory results 48 hours for review. At 375×667
 * Maya does not see her new TSH; a nurse releases it on "Results to review" in the staff app;
 * then Maya sees it. Both pages axe-clean. Run by `portal-care.test.ts`, whose platform holds
 * results (`HOLD_ENV`); the accounts are this scenario's own.
 */
const EMAIL = 'maya@hold.test';

/** Maya with a new TSH (held) and an HbA1c of three days ago (released); a nurse. */
async function seed(platform: PortalSuite['platform']): Promise<void> {
  const maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
  } as never);
  const now = Date.now();
  await platform.create({
    ...labResult({ patient: maya, code: '3016-3', issued: new Date(now) }),
    code: tsh,
  } as never);
  await platform.create(labResult({ patient: maya, code: '4548-4', issued: new Date(now - 72 * 3_600_000) }));
  await portalAccount(platform.db, { email: EMAIL, displayName: 'Maya Okafor', patient: maya });
  await upsertUser(platform.db, {
    email: 'nurse@hold.test',
    displayName: 'Nora Nurse',
    password: 'demo-password',
    roles: ['nurse'],
    scopes: ['user/*.cruds'],
  });
}

const tsh = { coding: [{ system: 'http://loinc.org', code: '3016-3' }], text: 'TSH' };

export function resultHoldScenarios(suite: PortalSuite): void {
  describe('a result held for review', () => {
    before(() => seed(suite.platform));

    test('Maya does not see a held TSH until the nurse releases it', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const phone = await phonePage(browser);
      await portalSignIn(phone, suite.platform.url, EMAIL);
      await phone.getByRole('article', { name: 'HbA1c' }).waitFor();
      assert.equal(await phone.getByRole('article', { name: 'TSH (thyroid)' }).count(), 0, 'held');
      await screenshot(phone, 'portal-result-held');
      await assertAccessible(phone, 'My health with a result held');

      const staff = await signedInPage(browser, { base: suite.platform.url, email: 'nurse@hold.test' });
      await staff
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /Results to review/ })
        .click();
      const release = staff.getByRole('button', { name: 'Release TSH for Maya Okafor' });
      await release.waitFor();
      await screenshot(staff, 'staff-results-to-review');
      await assertAccessible(staff, 'Results to review');
      await release.click();
      await staff.getByText('No results on hold.', { exact: false }).waitFor();

      await phone.reload();
      const shown = phone.getByRole('article', { name: 'TSH (thyroid)' });
      await shown.waitFor();
      assert.match(await shown.innerText(), /2\.1 mIU\/L/);
      await screenshot(phone, 'portal-result-released');
      await assertAccessible(phone, 'My health after the release');
    });
  });
}
