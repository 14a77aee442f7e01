import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@medplum/fhirtypes';
import { fixedClock } from '../../kernel/clock.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { openTestStore, type TestStore } from '../../store/testing/open-test-store.ts';
import { writeExtract } from './write-extract.ts';

describeEachBackend('batch extract: ndjson of a search, written then renamed (issue 17)', (backend) => {
  let store: TestStore;
  let folder: string;
  before(async () => {
    store = await openTestStore(backend);
    folder = mkdtempSync(join(tmpdir(), 'throughline-extract-'));
    const observation = (status: Observation['status'], i: number): Observation => ({
      resourceType: 'Observation',
      status,
      code: { text: `result ${i}` },
    });
    // More than a page, so the extract pages through the search.
    await store.repository.importResources(
      Array.from({ length: 1203 }, (_, i) => ({
        ...observation(i % 3 === 0 ? 'preliminary' : 'final', i),
        id: `obs-${String(i).padStart(5, '0')}`,
      })),
    );
  });
  after(async () => {
    await store.db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test('every match once, one JSON per line, and no partial file left behind', async () => {
    const clock = fixedClock('2026-12-04T06:00:00Z');
    const { file, count } = await writeExtract(
      { repository: store.repository, clock },
      { criteria: 'Observation?status=final', folder, name: 'results' },
    );
    assert.equal(count, 802);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const ids = lines.map((line) => (JSON.parse(line) as Observation).id);
    assert.equal(new Set(ids).size, 802);
    assert.ok(lines.every((line) => (JSON.parse(line) as Observation).status === 'final'));
    assert.deepEqual(readdirSync(folder), ['results-2026-12-04T06-00-00-000Z.ndjson']);
  });

  test('a bad search leaves nothing in the folder', async () => {
    const clock = fixedClock('2026-12-04T18:00:00Z');
    await assert.rejects(
      writeExtract(
        { repository: store.repository, clock },
        { criteria: 'Observation?no-such-param=1', folder, name: 'broken' },
      ),
    );
    assert.deepEqual(readdirSync(folder), ['results-2026-12-04T06-00-00-000Z.ndjson']);
  });
});
