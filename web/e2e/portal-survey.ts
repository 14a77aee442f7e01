import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, QuestionnaireResponse } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { channelConsent } from '../../src/engagement/testing/channel-consent.ts';
import {
  assertAccessible,
  phonePage,
  portalAccount,
  portalSignIn,
  screenshot,
  type PortalSuite,
} from './browser.ts';

/**
 * The post-visit satisfaction survey in the portal at 375×667 (issues 16, 20): a visit is
 * fulfilled, the survey is sent, and Maya answers it under Forms; then it is sent, not open.
 * Run by `portal-care.test.ts`, whose platform sends surveys at once (`SURVEY_DELAY_HOURS` 0);
 * the account is this scenario's own.
 */
const EMAIL = 'maya@survey.test';
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

/** Maya (SMS consent for surveys) and her account, after a visit fulfilled half an hour ago; her id. */
async function seed(platform: PortalSuite['platform']): Promise<string> {
  const maya = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Maya'], family: 'Okafor' }],
    telecom: [{ system: 'phone', use: 'mobile', value: '+15550009001' }],
  } as never);
  await platform.create(
    channelConsent({
      patient: maya,
      permit: true,
      mode: 'SMSWRIT',
      purpose: 'survey',
      dateTime: hoursAgo(24),
    }),
  );
  const appointment = {
    resourceType: 'Appointment',
    status: 'booked',
    start: hoursAgo(1),
    end: hoursAgo(0.5),
    participant: [{ actor: { reference: `Patient/${maya}` }, status: 'accepted' }],
  };
  const id = await platform.create(appointment);
  await platform.fetch(`/fhir/Appointment/${id}`, {
    method: 'PUT',
    body: JSON.stringify({ ...appointment, id, status: 'fulfilled' }),
  });
  await platform.worker.drain();
  await portalAccount(platform.db, { email: EMAIL, displayName: 'Maya Okafor', patient: maya });
  return maya;
}

export function surveyScenarios(suite: PortalSuite): void {
  let page: Page;
  let maya = '';

  describe('the post-visit survey in the portal, at 375×667', () => {
    before(async () => {
      maya = await seed(suite.platform);
      if (suite.browser) page = await phonePage(suite.browser);
    });

    test('Maya answers the survey of her visit under Forms, once', async (t) => {
      if (!suite.browser) return t.skip('no Chromium');
      await portalSignIn(page, suite.platform.url, EMAIL);
      await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Forms' }).click();
      const card = page.getByRole('article', { name: 'How was your visit?' });
      await card.getByText(/^How was your visit on \w{3} \d{1,2} \w{3}\?$/).waitFor();
      await card.getByRole('link', { name: 'Fill in' }).click();
      const form = page.getByRole('form', { name: 'How was your visit?' });
      await form.getByRole('radio', { name: '4 – Good' }).check();
      await form.getByLabel('Anything you would like to tell us?').fill('Kind and on time.');
      await screenshot(page, 'portal-survey');
      await assertAccessible(page, 'the satisfaction survey');
      await form.getByRole('button', { name: 'Send to the clinic' }).click();
      await page.getByRole('status').getByText('Thank you: your form was sent to the clinic.').waitFor();
      const bundle = (await suite.platform.repository.search({
        resourceType: 'QuestionnaireResponse',
        params: [['subject', `Patient/${maya}`]],
      })) as Bundle<QuestionnaireResponse>;
      const responses = (bundle.entry ?? []).map((entry) => entry.resource!);
      assert.equal(responses.length, 1);
      assert.equal(
        responses[0]?.item?.find((i) => i.linkId === 'overall')?.answer?.[0]?.valueCoding?.code,
        '4',
      );
      // No second answer: the form goes once the answered survey is read back (not in the same instant).
      await form
        .getByRole('button', { name: 'Send to the clinic' })
        .waitFor({ state: 'detached', timeout: 10_000 });
    });
  });
}
