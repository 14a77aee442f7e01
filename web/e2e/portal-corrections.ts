import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Task } from '@medplum/fhirtypes';
import { upsertUser } from '../../src/access/index.ts';
import {
  CHROMIUM,
  SCREENSHOTS,
  assertAccessible,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
  signedInPage,
  type PortalSuite,
} from './browser.ts';

/**
 * "Ask us to correct something" in the portal (issue 20, right to amend), at 375×667: under
 * Settings, Maya says what is wrong; it lands as a Task on the staff's record-corrections
 * worklist and shows in her list as sent, then with the clinic's answer. Run by
 * `portal-accounts.test.ts`; the accounts are this scenario's own.
 */
const EMAIL = { maya: 'maya@corrections.test', nurse: 'nurse@corrections.test' };

const tsh = (patient: string) =>
  ({
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '3016-3' }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: '2026-11-20T09:00:00Z',
    valueQuantity: { value: 2.1, unit: 'mIU/L', system: 'http://unitsofmeasure.org', code: 'm[IU]/L' },
  }) as never;
const PASSWORD = 'portal-password';

/** Maya with her account, a TSH result and a medicine; a nurse. Their ids. */
async function seed(
  platform: PortalSuite['platform'],
): Promise<{ maya: string; tsh: string; medicine: string }> {
  const maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
  } as never);
  await portalAccount(platform.db, { email: EMAIL.maya, displayName: 'Maya Okafor', patient: maya });
  const ids = { maya, tsh: await platform.create(tsh(maya)), medicine: '' };
  ids.medicine = await platform.create({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Levothyroxine 50 mcg' },
    subject: { reference: `Patient/${maya}` },
    dosageInstruction: [{ text: 'One tablet each morning' }],
  } as never);
  await upsertUser(platform.db, {
    email: EMAIL.nurse,
    displayName: 'Nia Nurse',
    password: 'demo-password',
    roles: ['nurse'],
    scopes: ['user/*.cruds'],
  });
  return ids;
}

export function correctionsScenarios(suite: PortalSuite): void {
  let ids = { maya: '', tsh: '', medicine: '' };

  /**
   * Her requests to correct her record. Her other Tasks are left out: on the suite's shared
   * platform the other scenarios' "Maya Okafor"s make identity review Tasks about her too.
   */
  const hers = async () =>
    (
      (await suite.platform.repository.search({
        resourceType: 'Task',
        params: [['patient', `Patient/${ids.maya}`]],
      })) as Bundle<Task>
    ).entry
      ?.map((entry) => entry.resource!)
      .filter((task) => task.code?.coding?.some((coding) => coding.code === 'record-correction')) ?? [];

  describe('asking for a correction in the portal', () => {
    before(async () => {
      ids = await seed(suite.platform);
    });

    test('at 375×667 Maya asks to correct her record and sees the clinic’s answer', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const context = await browser.newContext({
        viewport: { width: 375, height: 667 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
      await page.goto(`${suite.platform.url}/portal/preferences`);
      await page.locator('input[name=email]').fill(EMAIL.maya);
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
      assert.equal(
        task?.performerType?.[0]?.coding?.[0]?.code,
        'record-corrections',
        'on the staff worklist',
      );
      await screenshot(page, 'portal-correction-phone');
      await assertAccessible(page, 'Settings with a correction request (phone)');
      await suite.platform.update({
        ...task!,
        status: 'rejected',
        statusReason: { text: 'We checked your passport copy' },
      });
      await page.reload();
      await section.getByText('Not changed').waitFor();
      await section.getByText('We checked your passport copy', { exact: false }).waitFor();
      await assertAccessible(page, 'Settings with an answered correction (phone)');
    });

    test('“Correct this” on a result and on a medicine opens the request about that item', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip('no Chromium');
      const page = await phonePage(browser);
      await portalSignIn(page, suite.platform.url, EMAIL.maya);
      const items: [string, string, string][] = [
        [
          `Observation/${ids.tsh}`,
          'Correct this: TSH (thyroid) result',
          'This TSH was taken after my dose, not before',
        ],
        [
          `MedicationRequest/${ids.medicine}`,
          'Correct this: Levothyroxine 50 mcg',
          'I take 75 mcg since October',
        ],
      ];
      for (const [focus, link, text] of items) {
        await page
          .getByRole('navigation', { name: 'Portal' })
          .getByRole('link', { name: 'My health' })
          .click();
        await page.getByRole('link', { name: link }).click();
        const section = page.getByRole('region', { name: 'Ask us to correct something' });
        await section.getByText('About:').waitFor();
        const field = section.getByLabel('What is wrong in your record?');
        assert.ok(
          await field.evaluate((el) => el === document.activeElement),
          'the form is ready to type in',
        );
        if (focus.startsWith('Observation')) {
          await screenshot(page, 'portal-correct-this-phone');
          await assertAccessible(page, 'Settings opened from “Correct this” (phone)');
        }
        await field.fill(text);
        await section.getByRole('button', { name: 'Ask for a correction' }).click();
        await section.getByText('Sent. The clinic will review it').waitFor();
        const task = (await hers()).find((each) => each.description === text);
        assert.equal(task?.focus?.reference, focus, `the request names ${focus}`);
      }
    });

    test('a nurse refuses one request with a reason and accepts another; Maya reads both answers', async (t) => {
      const browser = suite.browser;
      if (!browser) return t.skip('no Chromium');
      const nurse = await signedInPage(browser, { base: suite.platform.url, email: EMAIL.nurse });
      await nurse.goto(`${suite.platform.url}/worklists/record-corrections`);
      const [refused, accepted] = [
        (await hers()).find((task) => task.focus?.reference === `Observation/${ids.tsh}`)!,
        (await hers()).find((task) => task.focus?.reference === `MedicationRequest/${ids.medicine}`)!,
      ];
      const refusedRow = nurse.locator(`[data-task="${refused.id}"]`);
      await refusedRow.getByRole('button', { name: 'Refuse…' }).click();
      await refusedRow
        .getByLabel('Why the record stays as it is')
        .fill('The lab confirms the sample was taken before your dose');
      await nurse.mouse.move(0, 0); // No row highlighted under the pointer while axe reads contrast.
      await screenshot(nurse, 'worklist-record-corrections');
      await assertAccessible(nurse, 'record-corrections worklist');
      await refusedRow.getByRole('button', { name: 'Refuse with this reason' }).click();
      await refusedRow.waitFor({ state: 'detached' });
      const acceptedRow = nurse.locator(`[data-task="${accepted.id}"]`);
      await acceptedRow.getByRole('button', { name: 'Accept (corrected)' }).click();
      await acceptedRow.waitFor({ state: 'detached' });
      const stored = await hers();
      assert.equal(stored.find((task) => task.id === refused.id)?.status, 'rejected');
      assert.equal(stored.find((task) => task.id === accepted.id)?.status, 'completed');
      const page = await phonePage(browser);
      await portalSignIn(page, suite.platform.url, EMAIL.maya);
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).click();
      const section = page.getByRole('region', { name: 'Ask us to correct something' });
      await section
        .getByText('The lab confirms the sample was taken before your dose', { exact: false })
        .waitFor();
      await section.getByText('Corrected').waitFor();
      await section.screenshot({ path: `${SCREENSHOTS}portal-corrections-answered.png` });
      await assertAccessible(page, 'Settings with answered corrections (phone)');
    });
  });
}
