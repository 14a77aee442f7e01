import type { Browser } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { upsertUser } from '../src/access/index.ts';
import { DEMO_PASSWORD, DEMO_PATIENT } from '../src/demo/index.ts';
import type { TestPlatform } from '../src/server/testing/test-platform.ts';
import { ms, percentile } from './lib/stats.ts';

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true };

/**
 * The portal's first load (issue 20: ≤ 1.5 s): Maya, signed in, opens `/portal` on a phone in a
 * fresh context (cold HTTP cache, only her session cookie) until her TSH result is on screen.
 */
export async function measurePortal(
  platform: TestPlatform,
  browser: Browser,
  options: { maya: string; runs: number },
): Promise<void> {
  await upsertUser(platform.db, { ...DEMO_PATIENT, password: DEMO_PASSWORD, patient: options.maya });
  const signedIn = await browser.newContext(PHONE);
  const page = await signedIn.newPage();
  await page.goto(`${platform.url}/portal`);
  await page.locator('input[name=email]').fill(DEMO_PATIENT.email);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Portal' }).waitFor();
  const cookies = await signedIn.cookies();
  await signedIn.close();
  const ready: number[] = [];
  let jsGzip = 0;
  for (let run = 0; run < options.runs; run++) {
    const context = await browser.newContext(PHONE);
    await context.addCookies(cookies);
    const cold = await context.newPage();
    const scripts: Promise<Buffer>[] = [];
    cold.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        scripts.push(response.body().catch(() => Buffer.alloc(0)));
    });
    await cold.goto(`${platform.url}/portal`);
    await cold.getByRole('article', { name: 'TSH (thyroid)' }).waitFor();
    ready.push(await cold.evaluate(() => performance.now()));
    jsGzip = (await Promise.all(scripts)).reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
    await context.close();
  }
  console.log(`portal first-load JS: ${(jsGzip / 1024).toFixed(1)} KB gzip`);
  console.log(
    `portal ready at 375×667 (results shown, signed in, cold cache): median ${ms(percentile(ready, 50))} ms, worst ${ms(Math.max(...ready))} ms`,
  );
}
