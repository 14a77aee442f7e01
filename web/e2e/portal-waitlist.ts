import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import {
  book,
  createGpSchedule,
  findTimes,
  operate,
  type SchedulingFixture,
} from '../../src/server/testing/scheduling-fixture.ts';
import { CHROMIUM, assertAccessible, portalAccount, screenshot, type PortalSuite } from './browser.ts';

/**
 * The waiting list in the portal (issue 20), at 375×667 and on a desktop: Maya waits for an
 * earlier GP visit with Dr Okoye; a cancellation is offered to her and she takes it; on the
 * desktop she joins for another week and leaves it again. Run by `portal-care.test.ts`; the
 * GP's schedule and the account are this scenario's own.
 */
const EMAIL = 'maya@waitlist.test';
const PASSWORD = 'portal-password';

export function waitlistScenarios(suite: PortalSuite): void {
  let clinic: SchedulingFixture;
  let maya = '';

  async function portalPage(viewport: { width: number; height: number }): Promise<Page> {
    const phone = viewport.width < 600;
    const context = await suite.browser!.newContext({ viewport, isMobile: phone, hasTouch: phone });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await page.goto(`${suite.platform.url}/portal/appointments`);
    await page.locator('input[name=email]').fill(EMAIL);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Waiting list' }).waitFor();
    return page;
  }

  const isoDay = (at: SchedulingFixture['monday']) => at.toISODate()!;

  async function joinFor(page: Page, days: { from: string; until: string; with?: string }): Promise<void> {
    const list = page.getByRole('region', { name: 'Waiting list' });
    await list.getByRole('button', { name: 'Wait for an earlier time' }).click();
    const form = page.getByRole('form', { name: 'Join the waiting list' });
    if (days.with) await form.getByLabel('With').selectOption({ label: days.with });
    await form.getByLabel('From').fill(days.from);
    await form.getByLabel('Until').fill(days.until);
    await form.getByRole('button', { name: 'Join the waiting list' }).click();
    await form.waitFor({ state: 'detached' });
  }

  /** Someone else's booking of Monday's first time, cancelled: the time is offered to the list. */
  async function freeMondayMorning(): Promise<string> {
    const platform = suite.platform;
    const holder = await platform.create({ resourceType: 'Patient', name: [{ family: 'Holder' }] } as never);
    const [time] = await findTimes(platform, { fixture: clinic, patient: `Patient/${holder}` });
    const booked = await book(platform, { proposal: time!, patient: `Patient/${holder}` });
    await platform.worker.drain();
    await operate(platform, {
      path: `/fhir/Appointment/${booked.body.id}/$cancel`,
      parameter: [{ name: 'reason', valueString: 'cannot come' }],
    });
    await platform.worker.drain();
    await platform.worker.drain();
    return time!.start!;
  }

  describe('the waiting list in the portal', () => {
    before(async () => {
      const platform = suite.platform;
      clinic = await createGpSchedule(platform);
      maya = await platform.create({
        resourceType: 'Patient',
        name: [{ given: ['Maya'], family: 'Okafor' }],
      } as never);
      await portalAccount(platform.db, { email: EMAIL, displayName: 'Maya Okafor', patient: maya });
    });

    test('at 375×667 Maya waits for Dr Okoye, is offered a freed time and takes it', async (t) => {
      if (!suite.browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const page = await portalPage({ width: 375, height: 667 });
      const friday = clinic.monday.plus({ days: 4 });
      await joinFor(page, { from: isoDay(clinic.monday), until: isoDay(friday), with: 'Okoye' });
      const entry = page.getByRole('article', { name: 'Waiting for General Practice' });
      await entry.getByText('Okoye').waitFor();
      await screenshot(page, 'portal-waitlist-phone');
      await assertAccessible(page, 'Appointments with a waiting-list entry (phone)');
      const start = await freeMondayMorning();
      await page.reload();
      await entry.getByText('A time came free for you').waitFor();
      await assertAccessible(page, 'a waiting-list offer (phone)');
      // The click returns before the portal's request does: wait for its answer, then for the work it queued.
      const taken = page.waitForResponse((response) =>
        /\/api\/portal\/waitlist\/[^/]+\/take$/.test(response.url()),
      );
      await entry.getByRole('button', { name: /^Take / }).click();
      assert.equal((await taken).status(), 200);
      await suite.platform.worker.drain();
      await suite.platform.worker.drain();
      const booked = (await suite.platform.repository.search({
        resourceType: 'Appointment',
        params: [
          ['patient', `Patient/${maya}`],
          ['status', 'booked'],
        ],
      })) as Bundle<Appointment>;
      assert.equal(Date.parse(booked.entry?.[0]?.resource?.start ?? ''), Date.parse(start));
      await page.reload();
      await page.getByRole('region', { name: 'Upcoming' }).getByRole('article').first().waitFor();
      assert.equal(await entry.count(), 0, 'the filled entry left the list');
    });

    test('on a desktop she joins for another week and leaves it again', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      const page = await portalPage({ width: 1280, height: 800 });
      const next = clinic.monday.plus({ weeks: 1 });
      await joinFor(page, { from: isoDay(next), until: isoDay(next.plus({ days: 4 })) });
      const entry = page.getByRole('article', { name: 'Waiting for General Practice' });
      await entry.waitFor();
      await screenshot(page, 'portal-waitlist-desktop');
      await assertAccessible(page, 'Appointments with a waiting-list entry (desktop)');
      await entry.getByRole('button', { name: 'Leave the waiting list' }).click();
      await entry.waitFor({ state: 'detached' });
      const open = (await suite.platform.repository.search({
        resourceType: 'Appointment',
        params: [
          ['patient', `Patient/${maya}`],
          ['status', 'waitlist'],
        ],
      })) as Bundle<Appointment>;
      assert.equal(open.entry?.length ?? 0, 0);
    });
  });
}
