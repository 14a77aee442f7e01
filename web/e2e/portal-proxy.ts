import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Communication } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { upsertUser } from '../../src/access/index.ts';
import { seedMayasDependant } from '../../src/demo/index.ts';
import { CHROMIUM, assertAccessible, phonePage, screenshot, type PortalSuite } from './browser.ts';

/**
 * Caregiver access in the portal, end to end at 375×667 (issue 20): Maya switches to her
 * daughter Ada, every page says whose record it is, Ada's settings stay Ada's; Ada (with an
 * account of her own) ends Maya's access, and Maya's switcher no longer offers her. Run by
 * `portal-accounts.test.ts`; the accounts are this scenario's own.
 */
const PASSWORD = 'portal-password';
const EMAIL = { maya: 'maya@proxy.test', ada: 'ada@proxy.test' };

const tsh = (patient: string) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '3016-3' }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: '2026-11-20T09:00:00Z',
  valueQuantity: { value: 2.1, unit: 'mIU/L', system: 'http://unitsofmeasure.org', code: 'm[IU]/L' },
});

/** Maya with her TSH and her account, Ada (her dependant) with hers; Ada's id. */
async function seed(suite: PortalSuite): Promise<string> {
  const platform = suite.platform;
  const maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
  } as never);
  await platform.create(tsh(maya));
  const account = { roles: ['patient'], scopes: ['patient/*.cruds'], password: PASSWORD };
  const mayaAccount = await upsertUser(platform.db, {
    ...account,
    email: EMAIL.maya,
    displayName: 'Maya Okafor',
    patient: maya,
  });
  const { ada } = await seedMayasDependant(platform.repository, { mayaAccount, now: new Date() });
  await upsertUser(platform.db, {
    ...account,
    email: EMAIL.ada,
    displayName: 'Ada Okafor',
    patient: ada,
  });
  return ada;
}

export function proxyScenarios(suite: PortalSuite): void {
  let page: Page;
  let ada = '';

  async function signIn(email: string): Promise<void> {
    await page.goto(`${suite.platform.url}/portal`);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Portal' }).waitFor();
  }

  /** Acting for Ada she writes to the clinic: the message is Ada's, written by her grant (Maya, her mother). */
  async function sendMessageForAda(): Promise<void> {
    const form = page.getByRole('region', { name: 'New message' });
    await form.getByLabel('Subject').fill('Ada’s cough');
    await form.getByLabel('Message').fill('Ada has had a cough for a week.');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Your message was sent.').waitFor();
    const sent = await suite.platform.repository.search({
      resourceType: 'Communication',
      params: [['subject', `Patient/${ada}`]],
    });
    const message = sent.entry!.map((entry) => entry.resource as Communication)[0]!;
    assert.match(message.sender?.reference ?? '', /^RelatedPerson\//, 'sent as Maya, Ada’s caregiver');
    assert.equal(message.sender?.display, 'Maya Okafor for Ada Okafor');
  }

  const tab = (name: string) => page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name });

  describe('a caregiver acting for her daughter in the portal, at 375×667', () => {
    before(async () => {
      ada = await seed(suite);
      if (suite.browser) page = await phonePage(suite.browser);
    });

    test('Maya switches to Ada: Ada’s results, and “Acting for” on every page', async (t) => {
      if (!suite.browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      await signIn(EMAIL.maya);
      await page.getByRole('article', { name: 'TSH (thyroid)' }).waitFor();
      await page.getByLabel('Acting for').selectOption({ label: 'Ada Okafor (your child)' });
      const banner = page.getByTestId('acting-for');
      await banner.getByText('Acting for: Ada Okafor (your child)').waitFor();
      await page.getByRole('article', { name: 'Hemoglobin' }).waitFor();
      assert.equal(
        await page.getByRole('article', { name: 'TSH (thyroid)' }).count(),
        0,
        'not Maya’s results',
      );
      await screenshot(page, 'portal-acting-for');
      await assertAccessible(page, 'My health, acting for Ada');
      for (const name of ['Appointments', 'Messages']) {
        await tab(name).click();
        await banner.getByText('Acting for: Ada Okafor').waitFor();
      }
      await sendMessageForAda();
      await tab('Settings').click();
      await banner.getByText('Acting for: Ada Okafor').waitFor();
      await page.getByText('Ada Okafor’s contact choices, consent').waitFor();
      assert.equal(await page.getByRole('region', { name: 'Who saw my record' }).count(), 0);
      await page.getByLabel('Acting for').selectOption({ label: 'You (Maya Okafor)' });
      await page.getByRole('article', { name: 'TSH (thyroid)' }).waitFor();
      assert.equal(await banner.count(), 0);
    });

    test('Ada ends Maya’s access in her settings; Maya is offered only herself', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(EMAIL.ada);
      await tab('Settings').click();
      const proxies = page.getByRole('region', { name: 'Who can act for me' });
      await proxies.getByText('Maya Okafor · mother').waitFor();
      await assertAccessible(page, 'Settings with who can act for me');
      await proxies.getByRole('button', { name: 'End access for Maya Okafor' }).click();
      await proxies.getByText('Ended').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(EMAIL.maya);
      await page.getByRole('article', { name: 'TSH (thyroid)' }).waitFor();
      assert.equal(await page.getByLabel('Acting for').count(), 0, 'no one else to act for');
    });
  });
}
