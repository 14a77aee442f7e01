import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Appointment,
  Bundle,
  Communication,
  CommunicationRequest,
  Patient,
  QuestionnaireResponse,
  Task,
} from '@medplum/fhirtypes';
import {
  COMPLETE_QUESTIONNAIRE,
  questionnaireTaskInput,
  SDC_TASK_SYSTEM,
} from '../../src/fhir/questionnaire-task.ts';
import type { Browser, Page } from 'playwright-core';
import { upsertUser } from '../../src/access/index.ts';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { DEMO_PASSWORD, DEMO_PATIENT, seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import { staffToken } from '../../src/server/testing/role-tokens.ts';
import { assertAccessible, CHROMIUM, launchChromium, screenshot } from './browser.ts';

/**
 * The patient portal end to end, at a phone's size (390×844): Maya signs in with her portal
 * account on the demo clinic and uses it as she would on her phone.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let page: Page;
let maya = '';

const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };

before(async () => {
  buildWebApp(quietLog);
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
    // Delivery at any hour, so the queued reminder below goes (or not) the moment it is due.
    QUIET_HOURS: 'off',
  });
  const seeded = await seedDemoClinic(platform.repository, { patients: 40, seed: 1, now: systemClock.now() });
  maya = seeded.truth.maya.gpPatientId;
  await upsertUser(platform.db, {
    ...DEMO_PATIENT,
    password: DEMO_PASSWORD,
    patient: seeded.truth.maya.gpPatientId,
  });
  await platform.worker.drain();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

/**
 * A reminder queued for her before she opted out (planned for her review, on SMS) becomes due
 * and the engagement engine delivers it: consent is read again at the moment of sending, so
 * nothing goes out on SMS — it goes by e-mail, which she still allows — and the local outbox
 * (the SMS sink without a provider) holds no SMS of it.
 */
async function assertQueuedSmsNotSent(): Promise<void> {
  const active = (await platform.repository.search({
    resourceType: 'CommunicationRequest',
    params: [
      ['subject', `Patient/${maya}`],
      ['status', 'active'],
      ['_count', '100'],
    ],
  })) as Bundle<CommunicationRequest>;
  const queued = active
    .entry!.map((e) => e.resource!)
    .find((r) => r.category?.some((c) => c.coding?.some((code) => code.code === 'appointment-reminder')));
  assert.ok(queued, 'a reminder is queued for her');
  await platform.repository.update<CommunicationRequest>({
    ...queued,
    medium: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'SMSWRIT' }] },
    ],
    occurrenceDateTime: new Date().toISOString(),
  });
  await platform.worker.drain();
  const attempts = (await platform.repository.search({
    resourceType: 'Communication',
    params: [['based-on', `CommunicationRequest/${queued.id}`]],
  })) as Bundle<Communication>;
  const media = attempts.entry!.map((e) => e.resource!.medium?.[0]?.coding?.[0]?.code);
  assert.deepEqual(media, ['EMAILWRIT'], 'delivered, but not on SMS');
  const coordinator = await staffToken(platform, 'care-coordinator');
  const outbox = (await (
    await platform.fetch('/api/engagement/outbox?_count=500', { token: coordinator })
  ).json()) as { messages: { idempotencyKey: string; channel: string }[] };
  const ofIt = outbox.messages.filter((m) => m.idempotencyKey.startsWith(queued.id!));
  assert.deepEqual(
    ofIt.map((m) => m.channel),
    ['email'],
  );
}

describe('the patient portal in Chromium at phone width', () => {
  test('Maya signs in and sees her results with their reference ranges and flags', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await page.goto(`${platform.url}/portal`);
    await page.locator('input[name=email]').fill(DEMO_PATIENT.email);
    await page.locator('input[name=password]').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Portal' }).waitFor();
    const tsh = page.getByRole('article', { name: 'TSH (thyroid)' });
    await tsh.waitFor();
    assert.match(await tsh.innerText(), /2\.1 mIU\/L/);
    assert.match(await tsh.innerText(), /Reference range: 0\.4–4/);
    assert.match(await tsh.innerText(), /in range/i);
    assert.match(await page.getByRole('article', { name: 'HbA1c' }).innerText(), /above range/i);
    await page
      .getByRole('region', { name: 'Health problems' })
      .getByText('Tired for several weeks')
      .waitFor();
    await screenshot(page, 'portal-health');
    await assertAccessible(page, 'My health');
  });

  test('Maya confirms the follow-up she was asked to confirm; the server has her answer', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await page
      .getByRole('navigation', { name: 'Portal' })
      .getByRole('link', { name: 'Appointments' })
      .click();
    const followUp = page
      .getByRole('region', { name: 'Upcoming' })
      .getByRole('article')
      .filter({ hasText: 'Follow-up: blood sugar and thyroid' });
    await followUp.getByText('Please confirm').waitFor();
    await screenshot(page, 'portal-confirm');
    await followUp.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').getByText('your appointment is confirmed').waitFor();
    await followUp.getByText('Booked').waitFor();
    const found = (await platform.repository.search({
      resourceType: 'Appointment',
      params: [['patient', `Patient/${maya}`]],
    })) as Bundle<Appointment>;
    const stored = found.entry!.map((e) => e.resource!).find((a) => a.description?.startsWith('Follow-up'))!;
    assert.equal(stored.status, 'booked');
    const her = stored.participant.find((p) => p.actor?.reference === `Patient/${maya}`);
    assert.equal(her?.status, 'accepted', 'her participant status is accepted, as after an SMS C');
    await assertAccessible(page, 'Appointments after confirming');
  });

  test('Maya fills in the pre-visit form: her details are prefilled; a draft is kept, then she sends it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Forms' }).click();
    await page
      .getByRole('article', { name: 'Before your visit' })
      .getByRole('link', { name: 'Fill in' })
      .click();
    const form = page.getByRole('form', { name: 'Before your visit' });
    const name = form.getByLabel('Full name');
    await name.waitFor();
    assert.equal(await name.inputValue(), 'Maya Okafor', 'the first fields come from her record');
    assert.equal(await form.getByLabel('Date of birth').inputValue(), '1988-04-12');
    assert.equal(await form.getByLabel('Email').inputValue(), 'maya.okafor@example.com');
    assert.match(await form.getByLabel('Home address').inputValue(), /42 Orchard Lane, Riverton/);
    await form
      .getByLabel('What would you like to talk about at your visit?')
      .fill('Still tired; my results.');
    await form.getByRole('radio', { name: 'Tired most days' }).check();
    await form.getByRole('radiogroup', { name: 'Do you smoke?' }).getByRole('radio', { name: 'Yes' }).check();
    const cigarettes = form.getByLabel('How many cigarettes a day?');
    await cigarettes.waitFor();
    await form.getByRole('radiogroup', { name: 'Do you smoke?' }).getByRole('radio', { name: 'No' }).check();
    await cigarettes.waitFor({ state: 'detached' });
    await screenshot(page, 'portal-form');
    await assertAccessible(page, 'the pre-visit form');
    await form.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Your draft is saved').waitFor();
    const responses = async () =>
      (
        (await platform.repository.search({
          resourceType: 'QuestionnaireResponse',
          params: [
            ['subject', `Patient/${maya}`],
            ['_count', '50'],
          ],
        })) as Bundle<QuestionnaireResponse>
      )
        .entry!.map((e) => e.resource!)
        .filter((r) => r.questionnaire?.includes('pre-visit'));
    assert.deepEqual(
      (await responses()).map((r) => r.status),
      ['in-progress'],
    );
    await form.getByRole('button', { name: 'Send to the clinic' }).click();
    await page.getByRole('status').getByText('your form was sent to the clinic').waitFor();
    const [sent] = await responses();
    assert.equal(sent?.status, 'completed');
    const about = sent!.item!.find((i) => i.linkId === 'about-you')!.item!;
    assert.deepEqual(about.find((i) => i.linkId === 'name')?.answer, [{ valueString: 'Maya Okafor' }]);
    const health = sent!.item!.find((i) => i.linkId === 'your-health')!.item!;
    assert.deepEqual(health.find((i) => i.linkId === 'smoker')?.answer, [{ valueBoolean: false }]);
    await page.getByRole('link', { name: 'All forms' }).click();
    await page.getByRole('article', { name: 'Before your visit' }).getByText('Sent').waitFor();
  });

  test('Maya books an appointment from the free times, then cancels it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await page
      .getByRole('navigation', { name: 'Portal' })
      .getByRole('link', { name: 'Appointments' })
      .click();
    await page.getByRole('region', { name: 'Upcoming' }).waitFor();
    await page.getByRole('button', { name: 'Book an appointment' }).click();
    await page.getByLabel('Type of visit').selectOption('124');
    const times = page.getByRole('group', { name: 'Free times' });
    const noneThatDay = page.getByText('No free times that day');
    // The first weekday with free times within a week (the clinic is closed at weekends). Each
    // day is waited for until its answer shows (its times, or none), not for a fixed while.
    for (let days = 1; days <= 7 && !(await times.isVisible()); days++) {
      const day = new Date(Date.now() + days * 24 * 3600_000).toISOString().slice(0, 10);
      await page.getByLabel('Day').fill(day);
      await times.or(noneThatDay).waitFor();
    }
    await times.getByRole('button').first().click();
    await screenshot(page, 'portal-book');
    await assertAccessible(page, 'booking');
    await page.getByRole('button', { name: /^Book / }).click();
    await page.getByRole('status').getByText('Your appointment is booked.').waitFor();
    const upcoming = page.getByRole('region', { name: 'Upcoming' }).getByRole('article');
    const booked = upcoming.filter({ hasText: 'General Practice' }).first();
    await booked.waitFor();
    await screenshot(page, 'portal-appointments');
    await assertAccessible(page, 'Appointments');
    const before = await upcoming.count();
    await booked.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel appointment' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(
      (count) => document.querySelectorAll('section[aria-label="Upcoming"] article').length === count - 1,
      before,
    );
    const past = page.getByRole('region', { name: 'Past' });
    await past.getByText('Cancelled').first().waitFor();
  });

  test('Maya turns off SMS appointment reminders and sees who at the clinic opened her record', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const nurse = await staffToken(platform, 'nurse');
    assert.equal((await platform.fetch(`/fhir/Patient/${maya}`, { token: nurse })).status, 200);
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).click();
    const sms = page.getByRole('switch', { name: 'SMS for appointment reminders' });
    await sms.waitFor();
    assert.equal(await sms.isChecked(), true);
    await sms.click({ force: true });
    await page.waitForFunction(
      () =>
        !(document.querySelector('input[aria-label="SMS for appointment reminders"]') as HTMLInputElement)
          .checked,
    );
    await page.reload();
    await sms.waitFor();
    assert.equal(await sms.isChecked(), false, 'the choice is stored, not only shown');
    await assertQueuedSmsNotSent();
    assert.equal(
      await page.getByRole('switch', { name: 'Email for appointment reminders' }).isChecked(),
      true,
    );
    const contact = page.getByRole('region', { name: 'Channel and language' });
    const saved = () =>
      page.waitForResponse(
        (r) => r.url().includes(`/fhir/Patient/${maya}`) && r.request().method() === 'PUT',
      );
    await Promise.all([saved(), contact.getByRole('radio', { name: 'Email' }).click()]);
    await contact.getByRole('status').getByText('Saved.').waitFor();
    await contact.getByLabel('Language for messages').click();
    await Promise.all([saved(), page.getByRole('option', { name: 'Español' }).click()]);
    const stored = await platform.repository.read<Patient>('Patient', maya);
    assert.equal(
      stored.telecom?.find((p) => p.rank === 1)?.system,
      'email',
      'e-mail is her first channel now',
    );
    assert.deepEqual(
      stored.communication?.map((c) => [c.language?.coding?.[0]?.code, c.preferred]),
      [
        ['es', true],
        ['en', false],
      ],
    );
    await screenshot(page, 'portal-settings-contact');
    const seen = page.getByRole('region', { name: 'Who saw my record' });
    await seen.getByText('nurse · Nurse').first().waitFor();
    await screenshot(page, 'portal-settings');
    await assertAccessible(page, 'Settings and privacy');
  });

  test('Maya writes to the clinic; her message lands on the coordinator’s unanswered-messages worklist', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Messages' }).click();
    const conversations = page.getByRole('region', { name: 'Conversations' });
    // What the clinic sent by SMS is listed with the portal's conversations.
    await conversations.getByText('SMS', { exact: true }).first().waitFor();
    const form = page.getByRole('region', { name: 'New message' });
    await form.getByLabel('Subject').fill('Blood test results');
    await form.getByLabel('Message').fill('Should I fast before the next blood test?');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Your message was sent.').waitFor();
    const thread = conversations.getByRole('article', { name: 'Blood test results' });
    await thread.getByText('Should I fast before the next blood test?').waitFor();
    await screenshot(page, 'portal-messages');
    await assertAccessible(page, 'Messages');
    await platform.worker.drain();
    const coordinator = await staffToken(platform, 'care-coordinator');
    const response = await platform.fetch('/api/worklists/unanswered-messages?_count=200', {
      token: coordinator,
    });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const sent = (await (
      await platform.fetch(`/fhir/Communication?subject=Patient/${maya}&_count=200`, { token: coordinator })
    ).json()) as Bundle<Communication>;
    const message = sent.entry!.find((e) =>
      e.resource?.payload?.[0]?.contentString?.startsWith('Should I fast'),
    )!;
    assert.ok(text.includes(`Communication/${message.resource!.id}`), 'her message is on the worklist');
  });

  test('at 375×667 the forms fit the screen; another patient’s form in the URL shows nothing of it', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const { resource: stranger } = await platform.repository.create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Stranger', given: ['Sam'] }],
    });
    const { resource: theirs } = await platform.repository.create<Task>({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      code: { coding: [{ system: SDC_TASK_SYSTEM, code: COMPLETE_QUESTIONNAIRE }] },
      description: 'Sam’s private form',
      for: { reference: `Patient/${stranger.id}` },
      input: questionnaireTaskInput('https://riverside-family.example.org/fhir/Questionnaire/pre-visit|1'),
    });
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const phone = await context.newPage();
    phone.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await phone.goto(`${platform.url}/portal/forms`);
    await phone.locator('input[name=email]').fill(DEMO_PATIENT.email);
    await phone.locator('input[name=password]').fill(DEMO_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('article', { name: 'Before your visit' }).waitFor();
    assert.equal(await phone.getByText('Sam’s private form').count(), 0);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the forms page is ${overflow}px wider than the phone`);
    await assertAccessible(phone, 'Forms at 375×667');
    await phone.goto(`${platform.url}/portal/forms/${theirs.id}`);
    await phone
      .getByRole('alert')
      .getByText(/not found/i)
      .waitFor();
    assert.equal(await phone.getByText('Sam’s private form').count(), 0);
    await screenshot(phone, 'portal-forms-375');
    await context.close();
  });

  test('Maya signing in at the staff app’s address is taken to the portal', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const other = await context.newPage();
    await other.goto(platform.url);
    await other.locator('input[name=email]').fill(DEMO_PATIENT.email);
    await other.locator('input[name=password]').fill(DEMO_PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('navigation', { name: 'Portal' }).waitFor();
    assert.match(other.url(), /\/portal$/);
    await context.close();
  });
});
