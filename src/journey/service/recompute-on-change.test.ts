import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../store/index.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { recomputeOnChange } from './recompute-on-change.ts';

const event = (resourceType: string, compartment: string): ChangeEvent => ({
  seq: '1',
  txId: '1',
  resourceType,
  id: `${resourceType}-1`,
  versionId: '1',
  action: 'create',
  compartment,
  occurredAt: '2026-12-06T10:00:00Z',
});

/** The patients a batch of events makes the journey look up (to recompute them). */
async function patientsLookedUp(events: ChangeEvent[]): Promise<string[]> {
  const asked: string[] = [];
  // No person is found, so nothing is recomputed: only which patients a batch touches is seen.
  const deps = { personOf: async (id: string) => void asked.push(id) } as unknown as JourneyDeps;
  await recomputeOnChange(deps).handleBatch!(events);
  return asked;
}

describe('journey recomputation on change', () => {
  it("recomputes the patient of a clinical write, not for the engine's own writes, Tasks or rule runs", async () => {
    assert.deepEqual(await patientsLookedUp([event('Observation', 'p1')]), ['p1']);
    const ignored = ['EpisodeOfCare', 'Flag', 'Task', 'Provenance', 'AuditEvent', 'GuidanceResponse'];
    assert.deepEqual(await patientsLookedUp(ignored.map((type) => event(type, 'p2'))), []);
  });
});
