import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Bundle } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { seedMayasDependant } from '../../src/demo/index.ts';
import { LABELS } from '../../src/server/testing/attack-fixture.ts';
import {
  CHROMIUM,
  assertAccessible,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
  type PortalSuite,
} from './browser.ts';

/**
 * "Download my data" at 375×667 (issue 20): Maya downloads her record as a FHIR Bundle file
 * from Settings; acting for her daughter Ada (her grant has the `record` scope) she downloads
 * Ada's, without Ada's HIV-labelled result, and may ask for a correction for her. Nobody
 * else's data is in either file. Maya has no phone or email on file, so "Contact me first by"
 * says why there is nothing to choose. Run by `portal-accounts.test.ts`; the account is this
 * scenario's own.
 */
const EMAIL = 'maya@download.test';
const ids: Record<'maya' | 'mayaTsh' | 'ada' | 'adaHiv' | 'vera' | 'veraTsh', string> = {
  maya: '',
  mayaTsh: '',
  ada: '',
  adaHiv: '',
  vera: '',
  veraTsh: '',
};

const result = (patient: string, code: string, security: object[] = []) =>
  ({
    resourceType: 'Observation',
    ...(security.length ? { meta: { security } } : {}),
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: '2026-11-20T09:00:00Z',
  }) as never;

/** Maya, Vera and Ada (Maya's dependant, with an HIV-labelled result), each with a TSH result. */
async function seed(platform: PortalSuite['platform']): Promise<void> {
  const patient = (given: string) =>
    platform.create({ resourceType: 'Patient', name: [{ given: [given], family: 'Okafor' }] } as never);
  ids.maya = await patient('Maya');
  ids.vera = await patient('Vera');
  ids.mayaTsh = await platform.create(result(ids.maya, '3016-3'));
  ids.veraTsh = await platform.create(result(ids.vera, '3016-3'));
  const mayaAccount = await portalAccount(platform.db, {
    email: EMAIL,
    displayName: 'Maya Okafor',
    patient: ids.maya,
  });
  ({ ada: ids.ada } = await seedMayasDependant(platform.repository, { mayaAccount, now: new Date() }));
  ids.adaHiv = await platform.create(result(ids.ada, '7918-6', [LABELS.HIV]));
}

export function downloadScenarios(suite: PortalSuite): void {
  let page: Page;

  /** Clicks the download button and reads the file the browser saved. */
  async function downloadedBundle(section: ReturnType<Page['getByRole']>): Promise<Set<string>> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download (FHIR JSON)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^health-record-\d{4}-\d{2}-\d{2}\.json$/);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8')) as Bundle;
    assert.equal(bundle.resourceType, 'Bundle');
    await section.getByText(/Downloaded \d+ items/).waitFor();
    return new Set(bundle.entry?.map((entry) => entry.resource?.id ?? ''));
  }

  const exportsAudited = async (patient: string) =>
    (
      await suite.platform.db.query(
        `SELECT 1 FROM audit_log WHERE action = 'portal-export' AND $1 = ANY(patients)`,
        [patient],
      )
    ).rows.length;

  describe('download my data in the portal, at 375×667', () => {
    before(async () => {
      await seed(suite.platform);
      if (suite.browser) page = await phonePage(suite.browser);
    });

    test('Maya downloads her own record: hers, nobody else’s, audited', async (t) => {
      if (!suite.browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
      await portalSignIn(page, suite.platform.url, EMAIL);
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByText('We have no phone number or email address for you yet').waitFor();
      const section = page.getByRole('region', { name: 'Download your record' });
      const downloaded = await downloadedBundle(section);
      assert.ok(downloaded.has(ids.maya) && downloaded.has(ids.mayaTsh), 'her record and her result');
      for (const id of [ids.vera, ids.veraTsh, ids.ada]) assert.ok(!downloaded.has(id), `${id} is not hers`);
      assert.equal(await exportsAudited(ids.maya), 1);
      await screenshot(page, 'portal-download-phone');
      await assertAccessible(page, 'Settings after downloading (phone)');
    });

    test('acting for Ada (record scope) she downloads Ada’s, without the labelled result, and may ask a correction', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      await page.getByLabel('Acting for').selectOption({ label: 'Ada Okafor (your child)' });
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByTestId('acting-for').getByText('Acting for: Ada Okafor').waitFor();
      const section = page.getByRole('region', { name: 'Download your record' });
      await section.getByRole('heading', { name: 'Download Ada Okafor’s record' }).waitFor();
      await page.getByRole('region', { name: 'Ask us to correct something' }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Channel and language' }).count(), 0, 'hers alone');
      const downloaded = await downloadedBundle(section);
      assert.ok(downloaded.has(ids.ada), 'Ada’s record');
      for (const id of [ids.adaHiv, ids.maya, ids.mayaTsh, ids.veraTsh])
        assert.ok(!downloaded.has(id), `${id} is not for her caregiver`);
      assert.equal(await exportsAudited(ids.ada), 1);
      await screenshot(page, 'portal-download-acting-for');
      await assertAccessible(page, 'Settings acting for Ada (phone)');
    });
  });
}
