import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { installRecipes } from '../automation/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { HOLD_ENV, noticesAbout } from './testing/hold-fixture.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const HOUR = 3_600_000;

/**
 * Issue 20: the results-ready notice (automation's lab-result-final recipe) about a held result
 * goes when she can see it — at the end of the hold, or at once when a clinician releases it —
 * and once; about a result the clinic does not hold, at once as before.
 */
describeEachBackend('the results-ready notice of a held result', (backend) => {
  let platform: TestPlatform;
  let patient: string;
  before(async () => {
    platform = await startTestPlatform(backend, HOLD_ENV);
    await installRecipes(platform.repository, { status: 'active' });
    await platform.worker.drain();
    patient = await platform.create({
      resourceType: 'Patient',
      name: [{ given: ['Nia'], family: 'Notice' }],
      telecom: [{ system: 'email', value: 'nia@example.test' }],
    } as never);
  });
  after(() => platform.stop());

  const report = (category: string, issued: Date) =>
    platform.create({
      resourceType: 'DiagnosticReport',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: category }] }],
      code: { text: `${category} report` },
      subject: { reference: `Patient/${patient}` },
      issued: issued.toISOString(),
    } as never);

  const noticesOf = (report: string) => noticesAbout(platform, { patient, report });

  test('held: due when the hold ends, sent at once when a nurse releases it, and once', async () => {
    const issued = new Date();
    const held = await report('LAB', issued);
    await platform.worker.drain();
    const [waiting, ...more] = await noticesOf(held);
    assert.equal(more.length, 0);
    assert.equal(waiting?.status, 'active', 'not sent');
    assert.equal(Date.parse(waiting?.occurrenceDateTime ?? ''), issued.getTime() + 48 * HOUR);
    const nurse = await staffToken(platform, 'nurse');
    const released = await platform.call<{ noticesDue: number }>(
      `/api/results/DiagnosticReport/${held}/release`,
      {
        token: nurse,
        method: 'POST',
        body: {},
      },
    );
    assert.equal(released.status, 200);
    assert.equal(released.body.noticesDue, 1);
    await platform.worker.drain();
    const [sent, ...twice] = await noticesOf(held);
    assert.equal(twice.length, 0, 'one notice');
    assert.ok(Date.parse(sent?.occurrenceDateTime ?? '') <= Date.now());
    assert.notEqual(sent?.status, 'active', 'sent on release');
  });

  test('not held (imaging) or already past its hold: due at once', async () => {
    const imaging = await report('RAD', new Date());
    const old = await report('LAB', new Date(Date.now() - 49 * HOUR));
    await platform.worker.drain();
    for (const id of [imaging, old]) {
      const [notice] = await noticesOf(id);
      assert.ok(notice, `a notice about ${id}`);
      assert.ok(Date.parse(notice.occurrenceDateTime ?? '') <= Date.now());
    }
  });
});
