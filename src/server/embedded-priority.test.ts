import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { loadDefaultCatalog, recomputeAll } from '../journey/index.ts';
import { systemClock } from '../kernel/clock.ts';
import { runAsBackground } from '../store/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { journeyService } from './journey-service.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

const PEOPLE = 20;

/** A patient with a year of glucose results: enough record for the journey engine to read. */
function patientBundle(n: number): Bundle {
  const patient = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const observations: BundleEntry[] = Array.from({ length: 12 }, (_, month) => ({
    request: { method: 'POST', url: 'Observation' },
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
      subject: { reference: patient },
      effectiveDateTime: `2026-${String(month + 1).padStart(2, '0')}-01`,
      valueQuantity: { value: 90 + month, unit: 'mg/dL' },
    },
  }));
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: patient,
        request: { method: 'POST', url: 'Patient' },
        resource: { resourceType: 'Patient', name: [{ family: `Priority${n}`, given: ['Test'] }] },
      },
      ...observations,
    ],
  };
}

// Embedded PGlite answers in microtasks: a background chain of queries used to keep Node from
// even reading a request's socket until it ran out of work (issue 15: stalls of seconds).
describe('embedded database: interactive work first', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform(pgliteBackend, { BACKGROUND_WORKER: 'off' });
    for (let n = 0; n < PEOPLE; n++) await platform.repository.processBundle(patientBundle(n));
  });
  after(() => platform.stop());

  it('answers a read while a long background recomputation of every journey runs', async () => {
    const journey = journeyService({
      repository: platform.repository,
      db: platform.db,
      catalog: loadDefaultCatalog(),
      clock: systemClock,
    });
    let finished = false;
    const sweep = runAsBackground(() => recomputeAll(journey)).finally(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const search = await platform.fetch('/fhir/Patient?family=Priority7');
    assert.equal(search.status, 200);
    const found = (await search.json()) as Bundle;
    const id = found.entry?.[0]?.resource?.id;
    const read = await platform.fetch(`/fhir/Patient/${id}`);
    assert.equal(read.status, 200);
    assert.equal(finished, false, 'the search and the read were answered while the sweep still ran');
    assert.equal((await sweep).people, PEOPLE, 'and the sweep still recomputed everyone');
  });
});
