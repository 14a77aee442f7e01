import { openTestStore } from '../../store/testing/open-test-store.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pgliteBackend } from '../../store/testing/backends.ts';
import { type FhirRepository, type SqlDatabase } from '../../store/index.ts';
import { findImportFiles } from './find-import-files.ts';
import { importFiles } from './import-files.ts';

// The shared data sets live beside the repository (../shared/data): present in CI, absent on a
// user's machine, so these tests skip with a reason instead of failing.
const dataRoot = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const examples = `${dataRoot}fhir-examples/r4`;
const missing = (folder: string) =>
  existsSync(folder) ? undefined : `${folder} is absent (shared data sets are only in CI)`;

// The Synthea dev set is imported through the whole platform in src/server/synthea-platform.test.ts.

describe('import: official FHIR R4 examples [pglite]', { skip: missing(examples) }, () => {
  let db: SqlDatabase;
  let repository: FhirRepository;
  before(async () => {
    ({ db, repository } = await openTestStore(pgliteBackend));
  });
  after(() => db.close());

  test(
    'all import except the two known-invalid examples, which are rejected with their OperationOutcome',
    { timeout: 120_000 },
    async () => {
      // --store-bundles: in an example set each Bundle file is itself an example to store.
      const report = await importFiles(repository, await findImportFiles([examples]), { storeBundles: true });
      assert.deepEqual(report.failedFiles.map((file) => file.slice(examples.length + 1)).sort(), [
        'DiagnosticReport/DiagnosticReport-gingival-mass.json',
        'Questionnaire/Questionnaire-qs1.json',
      ]);
      const errorsOf = (name: string) => report.errors.filter((e) => e.file.endsWith(name));
      assert.deepEqual(errorsOf('gingival-mass.json'), [
        {
          file: `${examples}/DiagnosticReport/DiagnosticReport-gingival-mass.json`,
          message: 'Invalid base64Binary format',
          expression: 'DiagnosticReport.presentedForm[0].data',
        },
      ]);
      assert.ok(
        errorsOf('Questionnaire-qs1.json').every(
          (e) =>
            e.message === 'Missing required property' &&
            /^Questionnaire\.item.*\.linkId$/.test(e.expression ?? ''),
        ),
      );
      assert.equal(report.outcomes.created, 419);
      await repository.read('Patient', 'example');
    },
  );

  test('processed as requests, the example transaction bundles load (absolute request URLs included)', async () => {
    const bundles = ['Bundle-hla-1.json', 'Bundle-ussg-fht.json'].map((name) => `${examples}/Bundle/${name}`);
    const report = await importFiles(repository, bundles);
    assert.deepEqual(report.errors, []);
    await repository.read('Questionnaire', '54127-6');
  });
});
