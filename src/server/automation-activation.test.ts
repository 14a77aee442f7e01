import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { installRecipes } from '../automation/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { noticesAbout } from './testing/hold-fixture.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * A clock that runs with the real one until a test pins it to an instant: the writes below are
 * stamped (`meta.lastUpdated`, the outbox's `occurred_at`) a few hundred milliseconds apart, in
 * one second.
 */
function pinnableClock() {
  let pinned: number | undefined;
  return {
    now: () => new Date(pinned ?? Date.now()),
    pin: (at: number | undefined) => (pinned = at),
  };
}

/**
 * A rule acts on writes from its activation on, to the millisecond (the demo clinic installs its
 * recipes just after importing years of records: none of them may be the rule's).
 */
let platform: TestPlatform;
const clock = pinnableClock();
let patient: string;
before(async () => {
  platform = await startTestPlatform(pgliteBackend, {}, { clock });
  patient = await platform.create({
    resourceType: 'Patient',
    name: [{ given: ['Ada'], family: 'Activation' }],
    telecom: [{ system: 'email', value: 'ada@example.test' }],
  } as never);
});
after(() => platform.stop());

const finalReport = () =>
  platform.create({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { text: 'Lipid panel' },
    subject: { reference: `Patient/${patient}` },
    issued: '2024-05-25T16:20:00Z',
  } as never);

const noticesOf = (report: string) => noticesAbout(platform, { patient, report });

test('a write in the same second as the rule, but before it, is not the rule’s; one after it is', async () => {
  const second = Math.floor(Date.now() / 1000) * 1000;
  clock.pin(second + 100);
  const before = await finalReport();
  clock.pin(second + 500);
  await installRecipes(platform.repository, { status: 'active' });
  clock.pin(second + 900);
  const afterwards = await finalReport();
  clock.pin(undefined);
  await platform.worker.drain();
  assert.deepEqual(
    await noticesOf(before),
    [],
    'no results-ready notice about a report written before the rule',
  );
  assert.equal((await noticesOf(afterwards)).length, 1, 'one notice about the report written after it');
});
