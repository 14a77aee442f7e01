import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { servicePrincipal } from '../../access/index.ts';
import { silentLogger } from '../../kernel/logger.ts';
import {
  createFhirRepository,
  startLeasedJob,
  type FhirRepository,
  type SqlDatabase,
} from '../../store/index.ts';
import { describeEachBackend } from '../../store/testing/backends.ts';
import { planExport } from './export-plan.ts';
import { parseExportRequest } from './export-request.ts';
import { startExportJobs, type ExportJobs, type ExportJobsOptions } from './export-jobs.ts';
import type { ExportJobState } from './export-status.ts';

const caller = { principal: servicePrincipal({ id: 'me', display: 'me' }), requestId: 'kick-off' };

describeEachBackend('bulk export jobs: files, expiry, restart', (backend) => {
  let db: SqlDatabase;
  let repository: FhirRepository;
  let now = Date.parse('2026-12-04T10:00:00Z');
  const clock = { now: () => new Date(now) };
  const dataDir = mkdtempSync(join(tmpdir(), 'export-jobs-'));
  let exports: ExportJobs;
  const jobsWith = (more: Partial<ExportJobsOptions> = {}) =>
    startExportJobs({
      db,
      dataDir,
      clock,
      logger: silentLogger,
      fhirBase: 'http://t/fhir',
      scopeFor: async () => repository,
      expireAfterMs: 1_000,
      ...more,
    });
  before(async () => {
    db = await backend.open();
    repository = createFhirRepository(db, { baseUrl: 'http://t/fhir' });
    const patients = ['p1', 'p2'].map((id) => ({ resourceType: 'Patient', id }) as Resource);
    const observations = ['o1', 'o2', 'o3'].map(
      (id) => ({ resourceType: 'Observation', id, status: 'final', code: { text: 'x' } }) as Resource,
    );
    await repository.importResources([...patients, ...observations]);
    exports = jobsWith();
  });
  after(async () => {
    await exports.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const finished = async (jobs: ExportJobs, id: string) => {
    for (;;) {
      const status = await jobs.status(id, 'me');
      if (status.state !== 'in-progress') return status;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const planOf = (types: string) => {
    const request = parseExportRequest({ level: 'system', pairs: [['_type', types]], requestUrl: 'x' });
    return { request, plans: planExport(request, { levelTypes: ['Patient', 'Observation'] }) };
  };

  test('a finished export lists its files until they expire; then it reads as not found', async () => {
    const id = await exports.start({ caller, ...planOf('Patient'), repository });
    const status = await finished(exports, id);
    assert.equal(status.state, 'completed');
    if (status.state !== 'completed') return;
    assert.deepEqual(status.manifest.output, [
      { type: 'Patient', url: `http://t/fhir/bulk-files/${id}/Patient.ndjson`, count: 2 },
    ]);
    const path = await exports.file(id, 'me', 'Patient.ndjson');
    assert.equal(readFileSync(path, 'utf8').trim().split('\n').length, 2);
    await assert.rejects(exports.status(id, 'someone-else'), /not found/);
    await assert.rejects(exports.file(id, 'me', '../secret'), /not found/);
    now += 1_001;
    await assert.rejects(exports.status(id, 'me'), /not found/);
    assert.equal(existsSync(path), false);
  });

  /** A job as a process that died left it: running, its lease run out, Patient's file complete. */
  const orphan = async (
    id: string,
    request: ExportJobState['request'] = { level: 'system', requestUrl: 'x' },
  ) => {
    const { plans } = planOf('Patient,Observation');
    mkdirSync(join(dataDir, 'exports', id), { recursive: true });
    writeFileSync(join(dataDir, 'exports', id, 'Patient.ndjson'), 'as written before the crash\n');
    const state: ExportJobState = {
      id,
      caller,
      request,
      transactionTime: clock.now().toISOString(),
      plans,
      finished: { 0: { file: { type: 'Patient', name: 'Patient.ndjson', count: 2 } } },
      progress: { resources: 2, typesDone: 1, types: 2 },
    };
    await startLeasedJob(db, { queue: 'bulk-export', key: id, payload: state, leaseSeconds: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5));
  };

  test('an export whose process died is finished by the next poll; finished files are not rewritten', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await orphan(id);
    const status = await finished(exports, id);
    assert.equal(status.state, 'completed', JSON.stringify(status));
    if (status.state !== 'completed') return;
    assert.deepEqual(
      status.manifest.output.map((file) => [file.type, file.count]),
      [
        ['Patient', 2],
        ['Observation', 3],
      ],
    );
    const patients = readFileSync(await exports.file(id, 'me', 'Patient.ndjson'), 'utf8');
    assert.equal(patients, 'as written before the crash\n');
    const observations = readFileSync(await exports.file(id, 'me', 'Observation.ndjson'), 'utf8');
    assert.equal(observations.trim().split('\n').length, 3);
  });

  test('an export interrupted more often than allowed is reported failed, with the reason', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    const strict = jobsWith({ maxAttempts: 1 });
    try {
      await orphan(id);
      const status = await finished(strict, id);
      assert.equal(status.state, 'failed');
      if (status.state === 'failed') assert.match(status.message, /interrupted 1 times/);
    } finally {
      await strict.stop();
    }
  });

  test('a Group export kicked off before its members were kept lists no deletions when taken over', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    await repository.delete('Observation', 'o3');
    now = Date.now() + 60_000;
    const id = '00000000-0000-4000-8000-000000000003';
    await orphan(id, { level: 'group', requestUrl: 'x', since });
    const status = await finished(exports, id);
    assert.equal(status.state, 'completed', JSON.stringify(status));
    if (status.state === 'completed') assert.deepEqual(status.manifest.deleted, []);
  });
});
