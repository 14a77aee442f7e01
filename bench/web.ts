// The staff web app (issue 19), measured in headless Chromium against the production build
// served by a platform on PGlite with the demo clinic:
//   - first-load JavaScript of the 360° page (raw and gzip), and all of the build;
//   - the sign-in page (signed out, cold cache) until its form takes input;
//   - first load of the 360° page with a cold cache (Navigation Timing, and until the header,
//     the sections and the timeline are on screen), median and worst of N runs;
//   - interaction to next paint of a timeline filter click (Event Timing), and until the
//     filtered list is shown (it asks the server).
//   npx node bench/web.ts [patients=300] [runs=7]
import { gzipSync } from 'node:zlib';
import { globSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildWebApp } from '../src/cli/build-web-app.ts';
import { seedDemoClinic } from '../src/demo/index.ts';
import { systemClock } from '../src/kernel/clock.ts';
import { pgliteBackend } from '../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../src/server/testing/test-platform.ts';
import { launchChromium, signIn } from '../web/e2e/browser.ts';
import { ms, percentile } from './lib/stats.ts';
import { measurePortal } from './web-portal.ts';

const patients = Number(process.argv[2] ?? 300);
const runs = Number(process.argv[3] ?? 7);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function buildSizes(): { js: number; jsGzip: number; css: number; cssGzip: number } {
  const sizes = { js: 0, jsGzip: 0, css: 0, cssGzip: 0 };
  for (const file of globSync('web/dist/assets/*')) {
    const body = readFileSync(file);
    const gzip = gzipSync(body, { level: 9 }).length;
    if (file.endsWith('.js'))
      Object.assign(sizes, { js: sizes.js + body.length, jsGzip: sizes.jsGzip + gzip });
    if (file.endsWith('.css'))
      Object.assign(sizes, { css: sizes.css + body.length, cssGzip: sizes.cssGzip + gzip });
  }
  return sizes;
}

/** A fresh context (empty HTTP cache) that carries only the session cookie of a signed-in user. */
async function coldContext(browser: Browser, cookies: Awaited<ReturnType<BrowserContext['cookies']>>) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(cookies);
  return context;
}

interface FirstLoad {
  domContentLoaded: number;
  load: number;
  ready: number;
  js: number;
  jsGzip: number;
  /** Bytes of scripts and stylesheets as sent (after the server's content encoding). */
  sent: number;
}

async function firstLoad(context: BrowserContext, url: string): Promise<FirstLoad> {
  const page = await context.newPage();
  const scripts: Buffer[] = [];
  const sent: Promise<number>[] = [];
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'stylesheet')
      sent.push(
        response
          .request()
          .sizes()
          .then((sizes) => sizes.responseBodySize)
          .catch(() => 0),
      );
    if (type === 'script') scripts.push(await response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url);
  await page.getByTestId('patient-name').waitFor();
  await page.getByTestId('timeline-category').first().waitFor();
  const timing = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return {
      domContentLoaded: navigation!.domContentLoadedEventEnd,
      load: navigation!.loadEventEnd,
      ready: performance.now(),
    };
  });
  const sentBytes = (await Promise.all(sent)).reduce((sum, bytes) => sum + bytes, 0);
  await page.close();
  const js = scripts.reduce((sum, body) => sum + body.length, 0);
  const jsGzip = scripts.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
  return { ...timing, js, jsGzip, sent: sentBytes };
}

/** A signed-out first visit (cold cache, no cookie): until the sign-in form takes input. */
async function signInInteractive(browser: Browser, base: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('input[name=email]:not([disabled])').waitFor();
  const ready = await page.evaluate(() => performance.now());
  await context.close();
  return ready;
}

/** Event Timing of one click on a timeline filter chip, and the time until the filtered list shows. */
async function filterInteraction(
  context: BrowserContext,
  url: string,
): Promise<{ inp: number; shown: number }> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('timeline-category').first().waitFor();
  await page.evaluate(() => {
    const state = globalThis as unknown as { worst: number };
    state.worst = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.worst = Math.max(state.worst, entry.duration);
    }).observe({ type: 'event', durationThreshold: 16, buffered: false } as PerformanceObserverInit);
  });
  const started = await page.evaluate(() => performance.now());
  await page
    .getByTestId('timeline')
    .getByText(/^Labs \(\d+\)$/)
    .click();
  await page.waitForFunction(() => {
    const badges = [...document.querySelectorAll('[data-testid="timeline-category"]')];
    return badges.length > 0 && badges.every((badge) => badge.textContent === 'Labs');
  });
  const shown = (await page.evaluate(() => performance.now())) - started;
  await page.waitForTimeout(300);
  const inp = await page.evaluate(() => (globalThis as unknown as { worst: number }).worst);
  await page.close();
  return { inp, shown };
}

async function measure(platform: TestPlatform, browser: Browser, patientId: string): Promise<void> {
  const signedIn = await browser.newContext();
  const page = await signedIn.newPage();
  await signIn(page, platform.url, 'nurse@demo.clinic');
  const cookies = await signedIn.cookies();
  const url = `${platform.url}/patients/${patientId}`;
  const loads: FirstLoad[] = [];
  const filters: { inp: number; shown: number }[] = [];
  const signIns: number[] = [];
  for (let run = 0; run < runs; run++) {
    signIns.push(await signInInteractive(browser, platform.url));
    const context = await coldContext(browser, cookies);
    loads.push(await firstLoad(context, url));
    filters.push(await filterInteraction(context, url));
    await context.close();
  }
  const stat = (values: number[]) =>
    `median ${ms(percentile(values, 50))} ms, worst ${ms(Math.max(...values))} ms`;
  const build = buildSizes();
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}; demo clinic ${patients} patients; ${runs} cold loads`,
  );
  console.log(
    `build: JS ${kb(build.js)} (${kb(build.jsGzip)} gzip), CSS ${kb(build.css)} (${kb(build.cssGzip)} gzip)`,
  );
  console.log(`sign-in page interactive (signed out, cold cache): ${stat(signIns)}`);
  console.log(`360 page first-load JS: ${kb(loads[0]!.js)} (${kb(loads[0]!.jsGzip)} gzip)`);
  console.log(`360 page first-load JS + CSS as sent over the wire: ${kb(loads[0]!.sent)}`);
  console.log(`360 page DOMContentLoaded: ${stat(loads.map((load) => load.domContentLoaded))}`);
  console.log(`360 page load event: ${stat(loads.map((load) => load.load))}`);
  console.log(
    `360 page ready (header + sections + timeline shown): ${stat(loads.map((load) => load.ready))}`,
  );
  console.log(`timeline filter INP (Event Timing): ${stat(filters.map((filter) => filter.inp))}`);
  console.log(`timeline filter click → filtered list shown: ${stat(filters.map((filter) => filter.shown))}`);
}

buildWebApp({
  info: (message: string) => console.log(message),
  warn: (message: string) => console.warn(message),
});
const platform = await startTestPlatform(pgliteBackend, {
  ADMIN_CLIENT_ID: undefined,
  ADMIN_CLIENT_SECRET: undefined,
});
const browser = await launchChromium();
try {
  if (!browser) throw new Error('No Chromium at /usr/bin/chromium (apt-get install chromium)');
  const seeded = await seedDemoClinic(platform.repository, { patients, seed: 1, now: systemClock.now() });
  await platform.worker.drain();
  await measure(platform, browser, seeded.truth.maya.gpPatientId);
  await measurePortal(platform, browser, { maya: seeded.truth.maya.gpPatientId, runs });
} finally {
  await browser?.close();
  await platform.stop();
}
