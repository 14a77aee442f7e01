import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, Communication } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../../src/demo/index.ts';
import { systemClock } from '../../src/kernel/clock.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { staffToken, systemClientToken } from '../../src/server/testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';
import {
  assertAccessible,
  CHROMIUM,
  launchChromium,
  overflowX,
  phonePage,
  screenshot,
  signIn,
  signedInPage,
} from './browser.ts';

/**
 * The front desk's day in Chromium: the today board (check-in), booking from the 360 page
 * (and the clear message when the time was just taken), a 360 page without diagnoses or labs.
 * One platform (PGlite, a 20-patient demo clinic) and one browser for the file.
 */
let platform: TestPlatform;
let browser: Browser | undefined;
let maya = '';
let arriving = '';

const quietLog = { info: () => {}, warn: (message: string) => console.warn(message) };
const MINUTE = 60_000;

/** A booked appointment for Maya today, near now but never across midnight (the board shows today). */
async function bookMayaToday(): Promise<string> {
  const now = systemClock.now();
  const sinceMidnight = now.getTime() - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = new Date(now.getTime() + (sinceMidnight < 60 * MINUTE ? 10 : -10) * MINUTE);
  const { resource } = await platform.repository.create<Appointment>({
    resourceType: 'Appointment',
    status: 'booked',
    description: 'Review of blood results',
    start: start.toISOString(),
    end: new Date(start.getTime() + 20 * MINUTE).toISOString(),
    participant: [{ actor: { reference: `Patient/${maya}` }, status: 'needs-action' }],
  });
  return resource.id!;
}

before(async () => {
  buildWebApp(quietLog);
  platform = await startTestPlatform(pgliteBackend, {
    ADMIN_CLIENT_ID: undefined,
    ADMIN_CLIENT_SECRET: undefined,
  });
  const seeded = await seedDemoClinic(platform.repository, { patients: 20, seed: 3, now: systemClock.now() });
  maya = seeded.truth.maya.gpPatientId;
  arriving = await bookMayaToday();
  await platform.worker.drain();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await platform?.stop();
});

const pageFor = (email: string) => signedInPage(browser!, { base: platform.url, email });

describe('the front desk in Chromium', () => {
  let desk: Page;

  test('today board: Maya is on it, the front desk checks her in', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    desk = await pageFor('frontdesk@demo.clinic');
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Today/ }).click();
    const row = desk.locator(`[data-appointment="Appointment/${arriving}"]`);
    await row.getByRole('link', { name: 'Maya Okafor' }).waitFor();
    await assertAccessible(desk, 'today board');
    await screenshot(desk, 'today-board');
    await row.getByRole('button', { name: 'Check in Maya Okafor' }).click();
    await row.getByTestId('today-state').getByText('Arrived').waitFor();
    const stored = await platform.repository.read<Appointment>('Appointment', arriving);
    assert.equal(stored.status, 'arrived');
    const encounters = await platform.repository.search({
      resourceType: 'Encounter',
      params: [['appointment', `Appointment/${arriving}`]],
    });
    assert.equal(encounters.entry?.length, 1, 'check-in opened an Encounter');
  });

  test('front desk 360: no diagnoses, no lab values; books an appointment from the free times', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await desk.goto(`${platform.url}/patients/${maya}`);
    await desk.getByTestId('patient-actions').waitFor();
    await desk
      .getByTestId('timeline')
      .getByText(/Appointments|Engagement/)
      .first()
      .waitFor();
    const text = await desk.locator('main').innerText();
    assert.doesNotMatch(text, /Fatigue|Provisional|Encounter diagnosis|Clinical summary/i, 'no diagnosis');
    assert.doesNotMatch(text, /HbA1c|mg\/dL|mmol|Hemoglobin A1c/i, 'no lab value');
    await desk.getByRole('button', { name: 'Book an appointment' }).click();
    const times = desk.getByTestId('free-times');
    await times.getByRole('radio').first().check();
    await assertAccessible(desk, 'booking dialog');
    await screenshot(desk, 'book-appointment');
    await desk.getByRole('button', { name: 'Book this time' }).click();
    await desk
      .getByRole('status')
      .getByText(/^Booked for /)
      .waitFor();
    const booked = await platform.repository.search({
      resourceType: 'Appointment',
      params: [
        ['patient', `Patient/${maya}`],
        ['status', 'booked'],
        ['date', `gt${new Date().toISOString()}`],
      ],
    });
    assert.ok(
      (booked.entry ?? []).some((e) =>
        (e.resource as Appointment).participant.some((p) => p.actor?.reference?.startsWith('Location/')),
      ),
    );
  });

  test('booking a time someone took a moment ago says so clearly (409)', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await desk.getByRole('button', { name: 'Book an appointment' }).click();
    const first = desk.getByTestId('free-times').getByRole('radio').first();
    await first.waitFor();
    // Someone else books the same first free time through the API, then the user books it.
    const start = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00`).toISOString();
    const token = await staffToken(platform, 'front-desk');
    const found = await platform.fetch(
      `/fhir/Appointment/$find?patient=Patient/${maya}&_count=12&start=${encodeURIComponent(start)}`,
      { token },
    );
    const proposal = ((await found.json()) as Bundle<Appointment>).entry![0]!.resource!;
    const taken = await platform.fetch('/fhir/Appointment/$book', {
      method: 'POST',
      token,
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [{ name: 'appointment', resource: proposal }],
      }),
    });
    assert.equal(taken.status, 201, await taken.clone().text());
    await first.check();
    await desk.getByRole('button', { name: 'Book this time' }).click();
    await desk
      .getByRole('alert')
      .getByText(/Someone booked that time a moment ago/)
      .waitFor();
  });

  test('booking: the front desk narrows the free times by visit type and practitioner, then books the first available', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await desk.goto(`${platform.url}/patients/${maya}`);
    await desk.getByRole('button', { name: 'Book an appointment' }).click();
    const times = desk.getByTestId('free-times');
    await times.getByRole('radio').first().waitFor();
    // Every time on screen says this, and no new answer is on its way.
    const allTimesSay = (...words: string[]) =>
      desk.waitForFunction((expected) => {
        const list = document.querySelector('[data-testid="free-times"]');
        const radios = [...(list?.querySelectorAll('[role="radio"]') ?? [])];
        return (
          list?.getAttribute('aria-busy') === 'false' &&
          radios.length > 0 &&
          radios.every((radio) => expected.every((word) => radio.getAttribute('aria-label')!.includes(word)))
        );
      }, words);
    const visitType = desk.getByRole('combobox', { name: 'Visit type' });
    const practitioner = desk.getByRole('combobox', { name: 'Practitioner' });
    await visitType.selectOption({ label: 'Immunization · 10 min' });
    await allTimesSay('Immunization · 10 min');
    const nurses = await practitioner.locator('option').allTextContents();
    assert.equal(nurses.length, 2, `any, and the one nurse who immunises: ${nurses.join(', ')}`);
    await visitType.selectOption({ label: 'General Practice · 15 min' });
    await allTimesSay('General Practice · 15 min');
    const gps = await practitioner.locator('option').allTextContents();
    assert.deepEqual(gps.slice(0, 1), ['Any practitioner']);
    assert.ok(gps.length >= 3, `the demo clinic's GPs: ${gps.join(', ')}`);
    const gp = gps.at(-1)!;
    await practitioner.selectOption({ label: gp });
    await allTimesSay('General Practice · 15 min', `with ${gp}`);
    const first = desk.getByTestId('first-available');
    assert.match(await first.innerText(), new RegExp(`with ${gp} · General Practice · 15 min`));
    await assertAccessible(desk, 'booking dialog, filtered');
    await screenshot(desk, 'book-appointment-filtered');
    await first.getByRole('button', { name: 'Choose it' }).click();
    assert.equal(await times.getByRole('radio', { checked: true }).count(), 1, 'the first time is chosen');
    await desk.getByRole('button', { name: 'Book this time' }).click();
    await desk
      .getByRole('status')
      .getByText(new RegExp(`^Booked for .* with ${gp} · General Practice`))
      .waitFor();
    const gpRef = (
      await platform.repository.search({
        resourceType: 'Practitioner',
        params: [['name', gp.split(' ').at(-1)!]],
      })
    ).entry!.map((entry) => `Practitioner/${entry.resource!.id}`);
    const booked = await platform.repository.search({
      resourceType: 'Appointment',
      params: [
        ['patient', `Patient/${maya}`],
        ['status', 'booked'],
        ['service-type', '124'],
        ['practitioner', gpRef.join(',')],
        ['date', `gt${new Date().toISOString()}`],
      ],
    });
    assert.ok((booked.entry ?? []).length >= 1, 'booked with the chosen GP, for General Practice');
  });

  test('booking on a phone: the filters and the times fit, the book button stays in view', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const phone = await phonePage(browser);
    await signIn(phone, platform.url, 'frontdesk@demo.clinic');
    await phone.goto(`${platform.url}/patients/${maya}`);
    await phone.getByRole('button', { name: 'Book an appointment' }).click();
    await phone.getByTestId('free-times').getByRole('radio').first().waitFor();
    assert.ok((await overflowX(phone)) <= 0, 'no sideways scrolling');
    const button = (await phone.getByRole('button', { name: 'Book this time' }).boundingBox())!;
    assert.ok(button.y + button.height <= 667, `the book button is on screen (at ${button.y})`);
    await screenshot(phone, 'phone-book-appointment');
    await phone.context().close();
  });

  test('front desk 360: sets a follow-up; it is on the Follow-ups worklist', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await desk.goto(`${platform.url}/patients/${maya}`);
    await desk.getByRole('button', { name: 'Set a follow-up' }).click();
    await desk.getByLabel('What needs doing').fill('Call back about the intake form');
    await assertAccessible(desk, 'follow-up dialog');
    await screenshot(desk, 'set-follow-up');
    await desk.getByRole('button', { name: 'Set follow-up' }).click();
    await desk
      .getByRole('status')
      .getByText(/^Follow-up set/)
      .waitFor();
    await desk.goto(`${platform.url}/worklists/follow-ups`);
    await desk.getByText('Call back about the intake form').waitFor();
  });

  test('on a phone, what an action did is on screen once its dialog closes', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const phone = await phonePage(browser);
    await signIn(phone, platform.url, 'frontdesk@demo.clinic');
    await phone.goto(`${platform.url}/patients/${maya}`);
    await phone.getByRole('button', { name: 'Set a follow-up' }).click();
    await phone.getByLabel('What needs doing').fill('Ask about transport to the clinic');
    await phone.getByRole('button', { name: 'Set follow-up' }).click();
    const note = phone.getByRole('status').getByText(/^Follow-up set/);
    await note.waitFor();
    // The scroll is smooth or instant by browser: give it a moment, then it must be on screen.
    await phone.waitForTimeout(500);
    const box = (await note.boundingBox()) ?? assert.fail('the note has no box');
    assert.ok(box.y >= 0 && box.y + box.height <= 667, `the note is on screen (at ${box.y})`);
    await screenshot(phone, 'phone-follow-up-set');
    await phone.context().close();
  });

  test('worklists open on a list with work, not on an empty first list', async (t) => {
    if (!browser) return t.skip('no Chromium');
    await desk.goto(`${platform.url}/worklists`);
    const selected = desk.getByRole('tab', { selected: true });
    await selected.waitFor();
    assert.notEqual((await selected.innerText()).match(/\d+$/)?.[0], '0', 'the open list has items');
    await desk.getByTestId('worklist-item').first().waitFor();
    // Each state shown whole: a cell a fraction of a pixel narrow made Mantine's ellipsis read "OP…".
    const cut = await desk.evaluate(
      () =>
        [...document.querySelectorAll('[data-testid="worklist-item"] .mantine-Badge-label')].filter(
          (label) => {
            const text = document.createRange();
            text.selectNodeContents(label);
            const clipped = getComputedStyle(label).overflow !== 'visible';
            return clipped && text.getBoundingClientRect().width > label.getBoundingClientRect().width;
          },
        ).length,
    );
    assert.equal(cut, 0, 'no badge word cut short');
  });
});

const MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
/** Long enough to fold: the row shows two lines of it, the rest on "Show all". */
const QUESTION =
  'Hello, I got a letter about my referral to the hospital but the appointment is on a day when ' +
  'I am away for work. I tried calling twice but nobody picked up.\nCould someone please move it ' +
  'to the week after? Any morning is fine for me, thank you.';

/** A demo patient the clinic has texted (so her SMS consent lets a reply go), writing in by SMS. */
async function smsFromTextedPatient(text: string): Promise<string> {
  const texted = await platform.repository.search({
    resourceType: 'Communication',
    params: [
      ['medium', `${MODE}|SMSWRIT`],
      ['status', 'completed'],
      ['_count', '200'],
    ],
  });
  const patient = (texted.entry ?? [])
    .map((entry) => entry.resource as Communication)
    .find((c) => !c.sender?.reference?.startsWith('Patient/'))?.subject?.reference;
  assert.ok(patient, 'the demo clinic has texted someone');
  const { resource } = await platform.repository.create<Communication>({
    resourceType: 'Communication',
    status: 'completed',
    medium: [{ coding: [{ system: MODE, code: 'SMSWRIT' }] }],
    subject: { reference: patient },
    sender: { reference: patient },
    received: new Date().toISOString(),
    payload: [{ contentString: text }],
  });
  return `Communication/${resource.id}`;
}

/** The open task on the unanswered-messages list about this message, read as the system. */
async function taskAbout(message: string): Promise<string | undefined> {
  const bundle = await platform.repository.search({
    resourceType: 'Task',
    params: [
      ['focus', message],
      ['status', 'requested,received,accepted,ready,in-progress,on-hold'],
    ],
  });
  return bundle.entry?.[0]?.resource?.id;
}

describe('the care coordinator answers messages from the worklist', () => {
  test('each row shows what the patient wrote, on which channel and when; Reply answers it on the row', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const message = await smsFromTextedPatient(QUESTION);
    await platform.worker.drain();
    const task = (await taskAbout(message)) ?? assert.fail('the message is on the worklist');
    const page = await pageFor('coordinator@demo.clinic');
    await page.goto(`${platform.url}/worklists/unanswered-messages`);
    const row = page.locator(`[data-task="${task}"]`);
    await row.getByText('SMS', { exact: true }).waitFor();
    await row.getByText(/^received (just now|\d+ min ago)$/).waitFor();
    // The demo clinic's own questions are there as text too, one per row: no row without its message.
    const rows = await page.getByTestId('worklist-item').count();
    const texts = await page.getByTestId('message-text').allInnerTexts();
    assert.ok(rows >= 4 && texts.length === rows, `${texts.length} messages on ${rows} rows`);
    assert.ok(texts.every((text) => text.trim().length > 0));
    // Folded to about two lines; whole on "Show all".
    const shown = row.getByTestId('message-text');
    const height = () =>
      shown.evaluate((text) => text.closest('.mantine-Spoiler-content')!.getBoundingClientRect().height);
    const folded = await height();
    assert.ok(folded < 50, `folded to two lines (${folded}px)`);
    await row.getByRole('button', { name: 'Show all' }).click();
    assert.ok((await height()) > folded * 1.5, 'whole once asked for');
    assert.equal((await shown.innerText()).replace(/\s+/g, ' '), QUESTION.replace(/\s+/g, ' '));
    await assertAccessible(page, 'unanswered messages worklist');
    await screenshot(page, 'worklist-unanswered-messages');
    await row.getByRole('button', { name: /^Reply to / }).click();
    const form = page.locator(`[data-reply-for="${task}"]`);
    // Checked before typing: the send button's colour fades in as it is enabled, and axe caught it halfway.
    await assertAccessible(page, 'a reply on the worklist');
    await form.getByLabel('Reply by SMS').fill('We can move it: which week suits you?');
    await form.getByRole('button', { name: 'Send reply' }).click();
    await form.getByRole('status').getByText('Reply queued on SMS').waitFor();
    // "Replied" and no second Reply, unless the reply went out already and the row left the list.
    await page.waitForFunction((id) => {
      const replied = document.querySelector(`[data-task="${id}"]`);
      return !replied || (/Replied/.test(replied.textContent ?? '') && !/Reply to/.test(replied.innerHTML));
    }, task);
    await screenshot(page, 'worklist-replied');
    await platform.worker.drain();
    assert.equal(await taskAbout(message), undefined, 'the reply, once sent, closed the item');
    await page.reload();
    await page.getByTestId('worklist-item').first().waitFor();
    assert.equal(await row.count(), 0, 'and it left the list');
    await page.context().close();
  });

  test('on a phone the ten lists are one select with their counts; the work starts on the first screen', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const phone = await phonePage(browser);
    await signIn(phone, platform.url, 'coordinator@demo.clinic');
    await phone.goto(`${platform.url}/worklists/unanswered-messages`);
    const picker = phone.getByRole('combobox', { name: 'Worklist' });
    await picker.waitFor();
    assert.equal(await phone.getByRole('tab').count(), 0, 'no row of tabs');
    const options = await picker.locator('option').allInnerTexts();
    assert.equal(options.length, 10);
    for (const option of options) assert.match(option, /\S \(\d+\)$/, 'each list with its count');
    assert.equal(await picker.inputValue(), 'unanswered-messages');
    const first = phone.getByTestId('patient-message').first();
    await first.waitFor();
    const box = (await first.boundingBox()) ?? assert.fail('the first message has no box');
    assert.ok(
      box.y + box.height <= 667,
      `the first message is on the first screen (ends at ${box.y + box.height})`,
    );
    await assertAccessible(phone, 'worklists on a phone');
    await screenshot(phone, 'phone-worklist-messages');
    await picker.selectOption('care-gaps');
    await phone.waitForURL(/\/worklists\/care-gaps$/);
    await phone.getByTestId('worklist-item').first().waitFor();
    await phone.context().close();
  });
});

describe('engagement in Chromium', () => {
  test('the front desk sends Maya an SMS from her 360 page and finds it in the outbox', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const desk = await pageFor('frontdesk@demo.clinic');
    await desk.goto(`${platform.url}/patients/${maya}`);
    await desk.getByRole('button', { name: 'Send a message' }).click();
    await desk
      .getByRole('textbox', { name: 'Message' })
      .fill('Your results are in: please call us to book a review.');
    await desk.getByRole('combobox', { name: 'Purpose' }).selectOption('results-ready');
    await assertAccessible(desk, 'send a message');
    await desk.getByRole('button', { name: 'Send', exact: true }).click();
    await desk
      .getByRole('status')
      .getByText(/^Message queued on /)
      .waitFor();
    await platform.worker.drain();
    await desk
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Engagement/ })
      .click();
    await desk.getByRole('heading', { name: /Unanswered messages/ }).waitFor();
    await assertAccessible(desk, 'engagement: needs attention');
    await screenshot(desk, 'engagement-attention');
    await desk.getByRole('tab', { name: 'Outbox' }).click();
    await desk
      .getByTestId('outbox-message')
      .getByText(/please call us to book a review/)
      .first()
      .waitFor();
    await assertAccessible(desk, 'engagement: outbox');
    await screenshot(desk, 'engagement-outbox');
  });

  test('a nurse (no outbox operation) is not offered the engagement page', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const nurse = await pageFor('nurse@demo.clinic');
    const nav = nurse.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /Journey map/ }).waitFor();
    // `GET /api/me` answered: the nav is final.
    await nurse.waitForFunction(() =>
      performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/api/me')),
    );
    assert.equal(await nav.getByRole('link', { name: /Engagement/ }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: /Integration/ }).count(), 0);
  });
});

describe('KPIs in Chromium', () => {
  test('an admin (analytics-kpis) sees the KPI dashboard; it fits a phone too', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const admin = await pageFor('admin@demo.clinic');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /KPIs/ }).click();
    await admin.getByTestId('kpi').first().getByTestId('kpi-value').waitFor();
    assert.ok((await admin.getByTestId('kpi').count()) >= 3, 'several KPIs');
    // Chronic-care adherence from the demo clinic's pharmacy fills, and the mean beside the share 4–5.
    const adherence = admin.getByRole('region', { name: /covered ≥ 80% of days/ });
    assert.match((await adherence.getByTestId('kpi-value').textContent()) ?? '', /^\d+(\.\d)?%$/);
    assert.equal(await admin.getByTestId('kpi-mean').count(), 1);
    await assertAccessible(admin, 'KPIs');
    await screenshot(admin, 'kpis');
    await admin.setViewportSize({ width: 390, height: 844 });
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `KPIs ${overflow}px too wide at phone width`);
    await screenshot(admin, 'phone-kpis');
  });
});

describe('Integration in Chromium', () => {
  test('an admin finds a failed HL7 message with its reason, reprocesses it, reads the audit log', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const feed = await systemClientToken(platform, {
      clientId: 'lab-feed',
      roles: ['integration'],
      scopes: ['system/*.cruds'],
    });
    const unknownType = await platform.fetch('/hl7v2', {
      method: 'POST',
      token: feed,
      headers: { 'content-type': 'x-application/hl7-v2+er7' },
      body: 'MSH|^~\\&|LAB|HOSP|TL|C|20261123||ZZZ^Z01|E2E-1|P|2.5\rPID|1||E-1^^^HOSP^MR||Doe^Jo||19800101|F\r',
    });
    assert.match(await unknownType.text(), /MSA\|AE\|E2E-1/);
    const admin = await pageFor('admin@demo.clinic');
    await admin
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Integration/ })
      .click();
    const row = admin.getByTestId('inbound-message').filter({ hasText: 'E2E-1' });
    await row.waitFor();
    assert.doesNotMatch(await row.innerText(), /Doe|19800101/, 'no segment values on the page');
    await assertAccessible(admin, 'integration');
    await screenshot(admin, 'integration');
    await row.getByRole('button', { name: 'Reprocess' }).click();
    await row.getByText('2 attempts').waitFor();
    await admin.getByRole('tab', { name: 'Audit log' }).click();
    await admin.getByTestId('audit-row').filter({ hasText: 'hl7v2-message-reprocess' }).first().waitFor();
    await assertAccessible(admin, 'audit log');
    await screenshot(admin, 'audit-log');
  });
});

/** What a phone-sized page does not show whole: too wide, a table or a badge's text cut off. */
async function cutOff(phone: Page): Promise<string[]> {
  const problems: string[] = [];
  const overflow = await overflowX(phone);
  if (overflow > 0) problems.push(`${overflow}px too wide`);
  // Cards clip what overflows them: a table must fit, unless it scrolls in its own region.
  const clipped = await phone.evaluate(
    (width) =>
      [...document.querySelectorAll('main table')].filter(
        (table) => !table.closest('.tl-scroll-x') && table.getBoundingClientRect().right > width,
      ).length,
    375,
  );
  if (clipped > 0) problems.push(`${clipped} table(s) cut off at the right`);
  // A badge ends text too long for it with "…": a pain point's long rule title took its count with it.
  const ellipsed = await phone.evaluate(() =>
    [...document.querySelectorAll('main .mantine-Badge-label')]
      .filter((label) => label.scrollWidth > label.clientWidth)
      .map((label) => label.textContent),
  );
  if (ellipsed.length > 0) problems.push(`badge text cut off: ${ellipsed.join('; ')}`);
  return problems;
}

describe('every page at phone width (375×667)', () => {
  const paths = (id: string): [string, string][] => [
    ['find-patient', '/'],
    ['today-board', '/today'],
    ['patient-360', `/patients/${id}`],
    ['worklists', '/worklists'],
    ['results-review', '/results'],
    ['duplicate-review', '/duplicates'],
    ['journey-map', '/journeys'],
    ['engagement', '/engagement'],
    ['kpis', '/kpis'],
    ['integration', '/integration'],
    ['automation', '/automation'],
  ];

  test('nothing is wider than the screen; a screenshot of each for review', async (t) => {
    if (!browser) return t.skip('no Chromium');
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true });
    const phone = await context.newPage();
    phone.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
    await phone.goto(platform.url);
    // The administrator is offered every page of the menu.
    await phone.locator('input[name=email]').fill('admin@demo.clinic');
    await phone.locator('input[name=password]').fill('demo-password');
    await screenshot(phone, 'phone-sign-in');
    await phone.getByRole('button', { name: 'Sign in' }).click();
    // The nav is behind the burger at phone width.
    await phone.getByRole('button', { name: 'Open navigation' }).waitFor();
    const wide: string[] = [];
    for (const [name, path] of paths(maya)) {
      await phone.goto(`${platform.url}${path}`);
      await phone.locator('main h1').first().waitFor();
      // A loaded machine answers the KPIs slowly: the default 30 s is not enough there.
      await phone.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'), undefined, {
        timeout: 120_000,
      });
      wide.push(...(await cutOff(phone)).map((problem) => `${name}: ${problem}`));
      // The pain points are there for the badge check to see, each led by its count.
      if (name === 'journey-map')
        assert.match(await phone.getByTestId('pain-points').innerText(), /^\d+\s+\S/);
      await screenshot(phone, `phone-${name}`);
    }
    assert.deepEqual(wide, []);
    await context.close();
  });
});
