import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { silentLogger } from '../../kernel/logger.ts';
import { createFhirRepository, type FhirRepository, type SqlDatabase } from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { planExport } from './export-plan.ts';
import { parseExportRequest } from './export-request.ts';
import { startExportJobs, type ExportJobs } from './export-jobs.ts';

describeEachBackend('bulk export jobs: files, expiry, stop', (backend) => {
  let db: SqlDatabase;
  let repository: FhirRepository;
  let now = Date.parse('2026-12-04T10:00:00Z');
  const clock = { now: () => new Date(now) };
  const dataDir = mkdtempSync(join(tmpdir(), 'export-jobs-'));
  let exports: ExportJobs;
  before(async () => {
    db = await backend.open();
    repository = createFhirRepository(db, { baseUrl: 'http://t/fhir' });
    const patients = ['p1', 'p2'].map((id) => ({ resourceType: 'Patient', id }) as Resource);
    await repository.importResources(patients);
    exports = startExportJobs({
      dataDir,
      clock,
      logger: silentLogger,
      fhirBase: 'http://t/fhir',
      expireAfterMs: 1_000,
    });
  });
  after(async () => {
    await exports.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const finished = async (id: string) => {
    for (;;) {
      const status = exports.status(id, 'me');
      if (status.state !== 'in-progress') return status;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  test('a finished export lists its files until they expire; then it reads as not found', async () => {
    const request = parseExportRequest({ level: 'system', pairs: [['_type', 'Patient']], requestUrl: 'x' });
    const plans = planExport(request, { levelTypes: ['Patient', 'Observation'] });
    const id = exports.start({ owner: 'me', request, plans, repository });
    const status = await finished(id);
    assert.equal(status.state, 'completed');
    if (status.state !== 'completed') return;
    assert.deepEqual(status.manifest.output, [
      { type: 'Patient', url: `http://t/fhir/bulk-files/${id}/Patient.ndjson`, count: 2 },
    ]);
    const path = exports.file(id, 'me', 'Patient.ndjson');
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 2);
    assert.throws(() => exports.status(id, 'someone-else'), /not found/);
    assert.throws(() => exports.file(id, 'me', '../secret'), /not found/);
    now += 1_001;
    assert.throws(() => exports.status(id, 'me'), /not found/);
    await exports.stop();
    assert.equal(existsSync(path), false);
    exports = startExportJobs({ dataDir, clock, logger: silentLogger, fhirBase: 'http://t/fhir' });
  });
});
