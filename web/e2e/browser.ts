// Real headless Chromium for the web app's tests: Debian's `chromium` package driven by
// playwright-core (its own browser download does not work here; `.ci/run` installs the
// package when missing). Helpers: sign in, check accessibility with axe, keep a screenshot.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { upsertUser } from '../../src/access/index.ts';
import { buildWebApp } from '../../src/cli/build-web-app.ts';
import { startSmtpSink, type SmtpSink } from '../../src/engagement/testing/smtp-sink.ts';
import type { SqlExecutor } from '../../src/store/index.ts';
import { pgliteBackend } from '../../src/store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from '../../src/server/testing/test-platform.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

export async function launchChromium(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Signs in through the form, as a user would, and waits for the app shell. */
export async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(base);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now; serious and critical violations.
 * axe is evaluated over the DevTools protocol, not added as a script tag: the page's CSP
 * (rightly) refuses inline scripts.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target as string[] })),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/**
 * How many CSS pixels the page is wider than its viewport (0 when it fits). Measured against
 * the viewport's set width, not `innerWidth`: a phone (`isMobile`) zooms out to show a page that
 * is too wide, and `innerWidth` grows with it, so comparing with it never finds the overflow.
 */
export async function overflowX(page: Page): Promise<number> {
  const width = page.viewportSize()?.width ?? assert.fail('the page has no viewport size');
  return (await page.evaluate(() => document.documentElement.scrollWidth)) - width;
}

/**
 * The colour (`rgb(r, g, b)`) of one pixel of the whole page as a full-page screenshot paints it,
 * `y` possibly below the first screen. Decodes the 1×1 PNG itself: for the only pixel of the only
 * row, every PNG filter leaves the bytes as they are (their neighbours are all zero).
 */
export async function pagePixel(page: Page, at: { x: number; y: number }): Promise<string> {
  const png = await page.screenshot({ fullPage: true, clip: { ...at, width: 1, height: 1 } });
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const [, red, green, blue] = inflateSync(Buffer.concat(chunks));
  return `rgb(${red}, ${green}, ${blue})`;
}

/** Fails the test on any serious axe violation on the page, naming where it was found. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
    [],
    `axe: serious violations on ${what}`,
  );
}

/** A desktop-sized page, signed in as `email`; an uncaught error in the page fails the test. */
export async function signedInPage(
  browser: Browser,
  options: { base: string; email: string; timezoneId?: string },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
  await signIn(page, options.base, options.email);
  return page;
}

export const PORTAL_PASSWORD = 'portal-password';

/** A patient's portal account (password sign-in) for her Patient record. */
export function portalAccount(
  db: SqlExecutor,
  account: { email: string; displayName: string; patient: string },
): Promise<string> {
  return upsertUser(db, {
    ...account,
    password: PORTAL_PASSWORD,
    roles: ['patient'],
    scopes: ['patient/*.cruds'],
  });
}

/** Signs in on the portal's own form with a `portalAccount`. */
export async function portalSignIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/portal`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PORTAL_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A phone-sized page (375×667, touch) on which any uncaught error in the page fails the test. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`uncaught error in the page: ${error.message}`));
  return page;
}

/** What a file of portal scenarios shares: one platform, one Chromium, one SMTP server. */
export interface PortalSuite {
  readonly platform: TestPlatform;
  /** Undefined when Chromium is not installed: the tests skip. */
  readonly browser: Browser | undefined;
  readonly smtp: SmtpSink;
}

/**
 * One platform (PGlite, `env` over the test defaults, e-mail to a real SMTP server) and one
 * Chromium for every scenario of a test file, started in the file's `before`. Each scenario
 * seeds its own patients and portal accounts (addresses of its own) in its describe's `before`,
 * so scenarios share a clinic but not a person. Why: a platform costs about 8 s of CPU to start
 * (PGlite and its migrations) and Chromium a few more; a file per scenario paid that each time.
 */
export function portalSuite(env: Record<string, string | undefined>): PortalSuite {
  const started: { platform?: TestPlatform; browser?: Browser; smtp?: SmtpSink } = {};
  before(async () => {
    buildWebApp({ info: () => {}, warn: (message: string) => console.warn(message) });
    started.smtp = await startSmtpSink();
    started.platform = await startTestPlatform(pgliteBackend, { SMTP_URL: started.smtp.url, ...env });
    started.browser = await launchChromium();
  });
  after(async () => {
    await started.browser?.close();
    await started.platform?.stop();
    await started.smtp?.close();
  });
  return {
    get platform() {
      return started.platform ?? assert.fail('the suite’s platform is not started yet');
    },
    get browser() {
      return started.browser;
    },
    get smtp() {
      return started.smtp ?? assert.fail('the suite’s SMTP server is not started yet');
    },
  };
}
