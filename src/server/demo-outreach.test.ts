import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, CommunicationRequest } from '@medplum/fhirtypes';
import { seedDemoClinic } from '../demo/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { staffToken } from './testing/role-tokens.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

/**
 * The demo clinic on `npm start` needs no provider: its reminders due today go out through the
 * outreach engine to the local outbox, which the front desk can read (and billing cannot).
 */
let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform(pgliteBackend, { QUIET_HOURS: 'off' });
  await seedDemoClinic(platform.repository, { patients: 40, seed: 7, now: new Date() });
  await platform.worker.drain();
});
after(() => platform.stop());

test("today's demo reminders go to the local outbox, each once, on a permitted channel", async () => {
  const frontDesk = await staffToken(platform, 'front-desk');
  const response = await platform.fetch('/api/engagement/outbox?_count=500', { token: frontDesk });
  assert.equal(response.status, 200);
  const { messages } = (await response.json()) as {
    messages: { idempotencyKey: string; channel: string; body: string }[];
  };
  assert.ok(messages.length > 0, 'reminders due today were sent');
  assert.equal(new Set(messages.map((m) => m.idempotencyKey)).size, messages.length, 'each once');
  const bundle = (await (
    await platform.fetch('/fhir/CommunicationRequest?status=active&_count=500')
  ).json()) as Bundle;
  const overdue = (bundle.entry ?? [])
    .map((e) => e.resource as CommunicationRequest)
    // Reminders only: the demo's automation recipes also reach out about care gaps the journey
    // engine opens after the seed, which the frequency caps may hold until tomorrow.
    .filter((r) => r.category?.[0]?.coding?.[0]?.code === 'appointment-reminder')
    .filter((r) => r.occurrenceDateTime && Date.parse(r.occurrenceDateTime) <= Date.now());
  assert.deepEqual(
    overdue.map((r) => r.id),
    [],
    'nothing due is left waiting',
  );
  const billing = await staffToken(platform, 'billing');
  assert.equal((await platform.fetch('/api/engagement/outbox', { token: billing })).status, 403);
});
