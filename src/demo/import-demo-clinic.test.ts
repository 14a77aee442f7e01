import { testStorePerSuite } from '../store/testing/open-test-store.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../store/testing/backends.ts';
import { generateDemoClinic } from './generate-demo-clinic.ts';
import { findImportFiles, importFiles } from '../ingest/index.ts';

const now = new Date('2026-03-02T00:00:00Z');

/** A demo clinic as a Synthea-style transaction Bundle: POST entries, urn:uuid fullUrls and references. */
function asTransaction(resources: Resource[]): Bundle {
  const text = JSON.stringify(resources).replace(
    /"reference":"[A-Za-z]+\/([0-9a-f-]{36})"/g,
    '"reference":"urn:uuid:$1"',
  );
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: (JSON.parse(text) as Resource[]).map(({ id, ...resource }) => ({
      fullUrl: `urn:uuid:${id}`,
      resource: resource as Resource,
      request: { method: 'POST', url: resource.resourceType },
    })),
  };
}

let folder: string;
const bundled = generateDemoClinic({ patients: 6, seed: 11, now }).resources;
const streamed = generateDemoClinic({ patients: 4, seed: 12, now }).resources;

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'throughline-import-'));
  await writeFile(join(folder, 'clinic.json'), JSON.stringify(asTransaction(bundled)));
  await writeFile(join(folder, 'clinic.ndjson'), streamed.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeFile(join(folder, 'notes.txt'), 'not imported: folders are walked for .json and .ndjson only');
});
after(() => rm(folder, { recursive: true, force: true }));

describeEachBackend('import: bundles and ndjson', (backend) => {
  const { repo: repository } = testStorePerSuite(backend);

  test('loads a transaction bundle and an ndjson file; ids and references survive', async () => {
    const report = await importFiles(repository, await findImportFiles([folder]));
    assert.deepEqual(report.errors, []);
    assert.equal(report.outcomes.created, bundled.length + streamed.length);
    assert.equal(
      report.byType.Patient,
      [...bundled, ...streamed].filter((r) => r.resourceType === 'Patient').length,
    );
    const observation = bundled.find((r): r is Observation => r.resourceType === 'Observation')!;
    const stored = await repository.read<Observation>('Observation', observation.id!);
    assert.equal(stored.subject?.reference, observation.subject?.reference);
    await repository.read('Patient', streamed.find((r) => r.resourceType === 'Patient')!.id!);
  });

  test('a second import of the same files creates and changes nothing', async () => {
    const report = await importFiles(repository, await findImportFiles([folder]));
    assert.deepEqual(report.errors, []);
    assert.equal(report.outcomes.created, 0);
    assert.equal(report.outcomes.updated, 0);
    assert.equal(report.outcomes.unchanged, bundled.length + streamed.length);
  });

  test('bad files are reported with their OperationOutcome message and expression, and nothing of them is written', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'throughline-bad-'));
    const goodId = 'aaaaaaaa-0000-4000-8000-000000000001';
    const lineId = 'aaaaaaaa-0000-4000-8000-000000000002';
    await writeFile(
      join(bad, 'half.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${goodId}`,
            resource: { resourceType: 'Patient', name: [{ family: 'Good' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: { resourceType: 'Observation', code: { text: 'no status' } },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      }),
    );
    await writeFile(
      join(bad, 'lines.ndjson'),
      `${JSON.stringify({ resourceType: 'Patient', id: lineId })}\n{"resourceType":"Observation","id":"o1","code":{"text":"x"}}\n`,
    );
    await writeFile(join(bad, 'broken.json'), '{"resourceType": "Patient", ');
    try {
      const report = await importFiles(repository, await findImportFiles([bad]));
      assert.deepEqual(report.failedFiles.map((f) => f.slice(bad.length + 1)).sort(), [
        'broken.json',
        'half.json',
        'lines.ndjson',
      ]);
      const half = report.errors.find((e) => e.file.endsWith('half.json'))!;
      assert.match(half.message, /Missing required property/);
      assert.equal(half.expression, 'Bundle.entry[1].resource.status');
      const line = report.errors.find((e) => e.file.endsWith('lines.ndjson'))!;
      assert.equal(line.expression, 'line 2: Observation.status');
      assert.match(report.errors.find((e) => e.file.endsWith('broken.json'))!.message, /Not valid JSON/);
      await assert.rejects(repository.read('Patient', goodId), { code: 'NOT_FOUND' });
      await assert.rejects(repository.read('Patient', lineId), { code: 'NOT_FOUND' });
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
