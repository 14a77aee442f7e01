import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { fixedClock } from '../kernel/clock.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform } from './testing/test-platform.ts';

/** One clock (issue 14): a platform started with a pinned clock lives on that day, not the machine's. */
test('the platform reads "now" from the clock it was given', async () => {
  const platform = await startTestPlatform(pgliteBackend, {}, { clock: fixedClock('2031-05-06T10:00:00Z') });
  try {
    const response = await platform.fetch('/fhir/metadata');
    const statement = (await response.json()) as CapabilityStatement;
    assert.equal(statement.date, '2031-05-06');
  } finally {
    await platform.stop();
  }
});
