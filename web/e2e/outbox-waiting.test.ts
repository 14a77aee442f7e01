import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunicationRequest } from '@medplum/fhirtypes';
import type { Browser } from 'playwright-core';
import { upsertUser } from '../../src/access/index.ts';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { PURPOSE_SYSTEM } from '../../src/engagement/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { assertAccessible, CHROMIUM, launchChromium, screenshot, signedInPage } from './browser.ts';

/**
 * The outbox's "Waiting to go" in Chromium (issue 16): what fell due but is held back, when
 * each goes next and why. Two patients, no provider (every channel goes to the local outbox):
 * Rosa lives where it is night (the clinic's quiet hours, 21:00–08:00, in her zone), Sam where
 * it is midday and got his one SMS of the day already, so his second care-gap SMS waits for
 * the cap. One platform (PGlite) and one browser for the file.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
const TIMEZONE = 'http://hl7.org/fhir/StructureDefinition/timezone';

/** A zone where it is about `hour` o'clock now (whole hours from UTC). */
function zoneAt(hour: number): string {
  const offset = ((((new Date().getUTCHours() - hour) % 24) + 36) % 24) - 12;
  return offset >= 0 ? `Etc/GMT+${offset}` : `Etc/GMT${offset}`;
}

function careGap(patient: string, channel: 'SMSWRIT' | 'EMAILWRIT', text: string): CommunicationRequest {
  return {
    resourceType: 'CommunicationRequest',
    status: 'active',
    subject: { reference: `Patient/${patient}` },
    recipient: [{ reference: `Patient/${patient}` }],
    category: [{ coding: [{ system: PURPOSE_SYSTEM, code: 'care-gap' }] }],
    medium: [{ coding: [{ system: MODE, code: channel }] }],
    payload: [{ contentString: text }],
    occurrenceDateTime: new Date(Date.now() - 60_000).toISOString(),
  };
}

before(async () => {
  buildWebApp({ info: () => {}, warn: (message: string) => console.warn(message) });
  platform = await startTestPlatform(pgliteBackend, {
    QUIET_HOURS: '21:00-08:00',
    CLINIC_TIME_ZONE: zoneAt(12),
    SMS_MAX_PER_DAY: '1',
  });
  const rosa = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Rosa'], family: 'Nightingale' }],
    telecom: [{ system: 'email', value: 'rosa@example.test' }],
    address: [{ city: 'Far Away', extension: [{ url: TIMEZONE, valueCode: zoneAt(2) }] }],
  } as never);
  const sam = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Sam'], family: 'Middleton' }],
    telecom: [{ system: 'phone', use: 'mobile', value: '+15550104444' }],
  } as never);
  await platform.create(careGap(rosa, 'EMAILWRIT', 'Your yearly check is due: call us to book.'));
  await platform.create(careGap(sam, 'SMSWRIT', 'Your flu shot is due: call us to book.'));
  await platform.worker.drain();
  await platform.create(careGap(sam, 'SMSWRIT', 'Your eye exam is due: call us to book.'));
  await platform.worker.drain();
  await upsertUser(platform.db, {
    email: 'coordinator@clinic.test',
    displayName: 'Cora Coordinator',
    password: 'demo-password',
    roles: ['care-coordinator'],
    scopes: ['user/*.cruds'],
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

describe("the outbox's Waiting to go", () => {
  test('a coordinator sees what waits, when each goes and why; what went is under Sent', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    // The coordinator works at the clinic (midday), ten hours from Rosa's night.
    const page = await signedInPage(browser, {
      base: platform.url,
      email: 'coordinator@clinic.test',
      timezoneId: zoneAt(12),
    });
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Engagement/ })
      .click();
    await page.getByRole('tab', { name: 'Outbox' }).click();
    const waiting = page.getByRole('region', { name: 'Waiting to go' });
    const rows = waiting.getByTestId('deferred-request');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2, 'two requests wait');
    const rosa = rows.filter({ hasText: 'Rosa Nightingale' });
    assert.match(
      await rosa.innerText(),
      /EMAIL[\s\S]*Care gap[\s\S]*Goes [\s\S]*held back by the patient's quiet hours/,
    );
    // Her quiet hours end at 08:00 where she lives, which is not the coordinator's clock.
    assert.match(await rosa.innerText(), /\(08:00 GMT[+-]\d+, the patient's time\)/);
    const sam = rows.filter({ hasText: 'Sam Middleton' });
    assert.match(
      await sam.innerText(),
      /SMS[\s\S]*Care gap[\s\S]*Goes [\s\S]*held back by the limit of SMS a day or week/,
    );
    const sent = page.getByTestId('outbox-message');
    await sent.first().waitFor();
    assert.equal(await sent.count(), 1, "Sam's first SMS went; nothing else did");
    assert.match(await sent.first().innerText(), /flu shot/);
    await assertAccessible(page, 'the outbox, waiting to go');
    await screenshot(page, 'outbox-waiting');
  });
});
