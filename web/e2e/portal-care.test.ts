import { HOLD_ENV } from '../../src/server/testing/hold-fixture.ts';
import { attachmentScenarios } from './portal-attachments.ts';
import { quietHoursScenarios } from './portal-quiet-hours.ts';
import { resultHoldScenarios } from './portal-result-hold.ts';
import { surveyScenarios } from './portal-survey.ts';
import { waitlistScenarios } from './portal-waitlist.ts';
import { portalSuite } from './browser.ts';

/**
 * The portal's care scenarios in Chromium, on one platform and one browser: a laboratory result
 * held for review until a nurse releases it, a file on a secure message, the post-visit survey,
 * her quiet hours, the waiting list. The clinic holds laboratory results 48 hours and has no
 * quiet hours of its own (`HOLD_ENV`), sends surveys at once and keeps its time in UTC. No
 * other scenario here has a laboratory result, so only the held one waits for review. Each
 * scenario (its own file beside this one) seeds its own patients and accounts.
 */
const suite = portalSuite({ ...HOLD_ENV, SURVEY_DELAY_HOURS: '0', CLINIC_TIME_ZONE: 'UTC' });

resultHoldScenarios(suite);
attachmentScenarios(suite);
surveyScenarios(suite);
quietHoursScenarios(suite);
waitlistScenarios(suite);
