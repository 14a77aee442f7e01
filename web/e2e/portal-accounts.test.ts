import { codeSignInScenarios } from './portal-code-sign-in.ts';
import { correctionsScenarios } from './portal-corrections.ts';
import { downloadScenarios } from './portal-download.ts';
import { proxyScenarios } from './portal-proxy.ts';
import { portalSuite } from './browser.ts';

/**
 * The portal's account and record scenarios in Chromium, on one platform with the clinic's
 * default settings and one browser: signing in by a one-time code (e-mail read from a real
 * SMTP server), a caregiver acting for her daughter, downloading one's record, asking for a
 * correction. Each scenario (its own file beside this one) seeds its own patients and accounts.
 */
const suite = portalSuite({});

codeSignInScenarios(suite);
proxyScenarios(suite);
downloadScenarios(suite);
correctionsScenarios(suite);
