import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Communication, Patient } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { PURPOSE_SYSTEM, QUIET_HOURS_EXTENSION } from '../../src/engagement/index.ts';
import { channelConsent } from '../../src/engagement/testing/channel-consent.ts';
import { CHROMIUM, assertAccessible, portalAccount, screenshot, type PortalSuite } from './browser.ts';

/**
 * Her quiet hours in the portal (issue 20), at 375×667 and on a desktop: Maya sets quiet hours
 * around now and an SMS queued for her waits; she goes back to the clinic's (none here) and it
 * goes at once. Run by `portal-care.test.ts`, whose platform has no clinic quiet hours and
 * keeps the clinic's time in UTC; the account is this scenario's own.
 */
const EMAIL = 'maya@quiet-hours.test';
const PASSWORD = 'portal-password';
const utcHHMM = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);

export function quietHoursScenarios(suite: PortalSuite): void {
  let maya = '';
  let request = '';

  async function settingsPage(viewport: { width: number; height: number }): Promise<Page> {
    const phone = viewport.width < 600;
    const context = await suite.browser!.newContext({ viewport, isMobile: phone, hasTouch: phone });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await page.goto(`${suite.platform.url}/portal/preferences`);
    await page.locator('input[name=email]').fill(EMAIL);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('region', { name: 'Quiet hours' })
      .getByRole('button', { name: 'Save quiet hours' })
      .waitFor();
    return page;
  }

  const queueSms = () =>
    suite.platform.create({
      resourceType: 'CommunicationRequest',
      status: 'active',
      category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap' }] }],
      medium: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }],
        },
      ],
      recipient: [{ reference: `Patient/${maya}` }],
      subject: { reference: `Patient/${maya}` },
      payload: [{ contentString: 'Riverside: your check-up is due.' }],
      occurrenceDateTime: new Date().toISOString(),
    } as never);
  const attempts = async () =>
    (
      (await suite.platform.repository.search({
        resourceType: 'Communication',
        params: [['based-on', `CommunicationRequest/${request}`]],
      })) as Bundle<Communication>
    ).entry?.length ?? 0;

  describe('quiet hours in the portal', () => {
    before(async () => {
      const platform = suite.platform;
      maya = await platform.create({
        resourceType: 'Patient',
        name: [{ given: ['Maya'], family: 'Okafor' }],
        telecom: [{ system: 'phone', use: 'mobile', value: '+15550002222', rank: 1 }],
      } as never);
      await platform.create(channelConsent({ patient: maya, permit: true, mode: 'SMSWRIT' }));
      await portalAccount(platform.db, { email: EMAIL, displayName: 'Maya Okafor', patient: maya });
    });

    test('at 375×667 Maya sets quiet hours around now: a queued SMS waits', async (t) => {
      if (!suite.browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const page = await settingsPage({ width: 375, height: 667 });
      const section = page.getByRole('region', { name: 'Quiet hours' });
      await section.getByText('The clinic sends at any hour').waitFor();
      // One reading of the clock for both the form and the check: read again, a minute could turn between.
      const quiet = { start: utcHHMM(-1), end: utcHHMM(1) };
      await section.getByLabel('Quiet from').fill(quiet.start);
      await section.getByLabel('Until').fill(quiet.end);
      await section.getByRole('button', { name: 'Save quiet hours' }).click();
      await section.getByText(`Your quiet hours: ${quiet.start}–${quiet.end}`).waitFor();
      const stored = await suite.platform.repository.read<Patient>('Patient', maya);
      assert.ok(
        stored.extension?.some((e) => e.url === QUIET_HOURS_EXTENSION),
        'on her record',
      );
      await screenshot(page, 'portal-quiet-hours-phone');
      await assertAccessible(page, 'Settings with quiet hours (phone)');
      request = await queueSms();
      await suite.platform.worker.drain();
      assert.equal(await attempts(), 0, 'held back by her quiet hours');
    });

    test('on a desktop she goes back to the clinic’s: the held SMS goes at once', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      const page = await settingsPage({ width: 1280, height: 800 });
      const section = page.getByRole('region', { name: 'Quiet hours' });
      await section.getByRole('button', { name: 'Use the clinic’s' }).click();
      await section.getByText('The clinic sends at any hour').waitFor();
      await assertAccessible(page, 'Settings with quiet hours (desktop)');
      await suite.platform.worker.drain();
      assert.equal(await attempts(), 1, 'sent once, now');
    });
  });
}
