import { openTestStore } from '../../store/testing/open-test-store.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteBackend, postgresSkipReason } from '../../store/testing/backends.ts';
import { openFaultDatabase } from '../../store/testing/fault-database.ts';
import { createFhirRepository, openDatabase } from '../../store/index.ts';
import type { ImportRetry } from './retry-unavailable.ts';
import { type FhirRepository, type SqlDatabase } from '../../store/index.ts';
import { findImportFiles } from './find-import-files.ts';
import { importFiles } from './import-files.ts';

/**
 * Issue 13 item 4 for `throughline import`: the JSON guards of the HTTP edge hold for files too.
 * A line nested 1,000 deep and `__proto__`/`constructor` keys were imported as they were.
 */
let folder: string;
let db: SqlDatabase;
let repository: FhirRepository;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'throughline-guards-'));
  ({ db, repository } = await openTestStore(pgliteBackend));
});
after(async () => {
  await db.close();
  await rm(folder, { recursive: true, force: true });
});

const deepPatient = (id: string, levels: number) =>
  `{"resourceType":"Patient","id":"${id}","extension":[` +
  '{"url":"http://x.test","extension":['.repeat(levels) +
  '{"url":"http://x.test","valueString":"v"}' +
  ']}'.repeat(levels) +
  ']}';

test('ndjson lines nested too deep or holding prototype keys reject the file, naming the line', async () => {
  const lines = [
    '{"resourceType":"Patient","id":"fine-1"}',
    deepPatient('deep-1', 1000),
    '{"resourceType":"Patient","id":"proto-1","__proto__":{"polluted":1}}',
    '{"resourceType":"Patient","id":"ctor-1","name":[{"family":"x","constructor":1}]}',
  ];
  await writeFile(join(folder, 'lines.ndjson'), lines.join('\n') + '\n');
  const report = await importFiles(repository, await findImportFiles([join(folder, 'lines.ndjson')]));
  assert.equal(report.failedFiles.length, 1);
  const byLine = report.errors.map((error) => [error.expression, error.message]);
  assert.match(String(byLine[0]), /^line 2,.*deeper than 64 levels/);
  assert.deepEqual(byLine.slice(1), [
    ['line 3: Patient.__proto__', 'Invalid additional property "__proto__"'],
    ['line 4: Patient.name[0].constructor', 'Invalid additional property "constructor"'],
  ]);
  await assert.rejects(repository.read('Patient', 'fine-1'), { code: 'NOT_FOUND' });
});

test('.json files: the limit is the maxJsonDepth option; prototype keys are refused', async () => {
  await writeFile(join(folder, 'deep.json'), deepPatient('deep-2', 20));
  await writeFile(join(folder, 'ctor.json'), '{"resourceType":"Patient","id":"ctor-2","constructor":{}}');
  const files = [join(folder, 'deep.json'), join(folder, 'ctor.json')];
  const report = await importFiles(repository, files, { maxJsonDepth: 16 });
  assert.deepEqual(report.failedFiles.sort(), files.sort());
  assert.match(report.errors.find((e) => e.file.endsWith('deep.json'))!.message, /deeper than 16 levels/);
  assert.equal(report.errors.find((e) => e.file.endsWith('ctor.json'))!.expression, 'Patient.constructor');
  const allowed = await importFiles(repository, [join(folder, 'deep.json')]);
  assert.deepEqual(allowed.errors, []);
  await repository.read('Patient', 'deep-2');
});

test(
  'a file the database was unavailable for is tried again, said so, and stored once; a bounded number of times',
  { skip: postgresSkipReason },
  async () => {
    const fault = await openFaultDatabase();
    await (await openDatabase({ databaseUrl: fault.directUrl, dataDir: folder })).close();
    const throughProxy = await openDatabase({ databaseUrl: fault.url, dataDir: folder });
    try {
      const proxied = createFhirRepository(throughProxy, { baseUrl: 'http://test/fhir' });
      const file = join(folder, 'retried.json');
      const entry = {
        resource: { resourceType: 'Patient', id: 'retried-1' },
        request: { method: 'PUT', url: 'Patient/retried-1' },
      };
      await writeFile(file, JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [entry] }));
      // The database is away when the file is written, and back once the retry is announced.
      fault.proxy.cut();
      const retries: number[] = [];
      const onRetry = ({ attempt }: ImportRetry) => {
        retries.push(attempt);
        fault.proxy.restore();
      };
      const report = await importFiles(proxied, [file], { retry: { delayMs: 0, onRetry } });
      assert.deepEqual([report.failedFiles, retries], [[], [1]]);
      assert.equal((await proxied.read('Patient', 'retried-1')).meta?.versionId, '1');
      // Away for good: the file fails after its tries, with the reason.
      fault.proxy.cut();
      const given = await importFiles(proxied, [file], { retry: { attempts: 2, delayMs: 0 } });
      assert.deepEqual(given.failedFiles, [file]);
      assert.match(given.errors[0]!.message, /unavailable|connect|terminated|ECONNRESET/i);
    } finally {
      await throughProxy.close();
      await fault.close();
    }
  },
);
