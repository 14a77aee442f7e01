import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { patientCompartmentOf } from '../fhir/compartment.ts';
import { findImportFiles, importFiles } from '../ingest/index.ts';
import { pgliteBackend, postgresBackend, postgresSkipReason } from '../store/testing/backends.ts';
import { startTestPlatform, type TestPlatform } from './testing/test-platform.ts';

// The shared data sets live beside the repository (../shared/data): present in CI, absent on a
// user's machine, so this suite skips with a reason instead of failing.
const synthea = fileURLToPath(new URL('../../../shared/data/synthea/dev', import.meta.url));
const missing = existsSync(synthea) ? undefined : `${synthea} is absent (shared data sets are only in CI)`;
// Synthea's 28k resources take ~25 s on PGlite: one backend is enough, server PostgreSQL when set.
const backend = postgresSkipReason ? pgliteBackend : postgresBackend;
// Only a guard against a hang: at load 23 on 2 cores the import and read-back took over 300 s.
const HANG_GUARD_MS = 900_000;

interface View {
  person: { records: { patient: { id: string } }[] };
  sections: Record<string, { reference: string }[]>;
  journey: { stages: { journey: string; stage: string }[] };
}

/**
 * The Synthea dev set through the whole platform: every bundle imports, every resource reads
 * back under its Synthea id, identity and the journey engine settle, and for every patient the
 * 360° view holds every resource of that patient.
 */
describe(`Synthea dev set through the platform [${backend.name}]`, { skip: missing }, () => {
  let platform: TestPlatform;
  const files: string[] = [];
  before(async () => {
    platform = await startTestPlatform(backend);
    files.push(...(await findImportFiles([synthea])));
  });
  after(() => platform?.stop());

  const bundles = () => files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Bundle);

  test(
    'every bundle imports and every resource is readable under its Synthea id',
    { timeout: HANG_GUARD_MS },
    async () => {
      const report = await importFiles(platform.repository, files);
      assert.deepEqual(report.errors, []);
      const ids = new Set<string>();
      for (const bundle of bundles())
        for (const entry of bundle.entry ?? [])
          ids.add(`${entry.resource?.resourceType}/${entry.fullUrl?.replace('urn:uuid:', '')}`);
      assert.equal(report.outcomes.created, ids.size);
      for (const key of ids) {
        const [type = '', id = ''] = key.split('/');
        assert.equal((await platform.repository.read(type, id)).id, id);
      }
    },
  );

  test(
    'for every patient, the 360 view contains every resource of that patient',
    { timeout: HANG_GUARD_MS },
    async () => {
      while ((await platform.worker.drain()) > 0);
      let patients = 0;
      for (const bundle of bundles()) {
        const resources = withLocalReferences(bundle);
        const patient = resources.find((resource) => resource.resourceType === 'Patient');
        if (!patient?.id) continue;
        patients++;
        const expected = resources
          .filter((resource) => resource.id !== patient.id && patientCompartmentOf(resource) === patient.id)
          .map((resource) => `${resource.resourceType}/${resource.id}`);
        const response = await platform.fetch(`/api/patients/${patient.id}/360`);
        assert.equal(response.status, 200);
        const view = (await response.json()) as View;
        const shown = new Set(
          Object.values(view.sections).flatMap((items) => items.map((item) => item.reference)),
        );
        const absent = expected.filter((reference) => !shown.has(reference));
        assert.deepEqual(
          absent,
          [],
          `Patient/${patient.id}: ${absent.length} of ${expected.length} resources missing`,
        );
        assert.ok(
          view.journey.stages.some((stage) => stage.journey === 'patient-journey'),
          'a stage is derived',
        );
      }
      assert.ok(patients >= 100, `${patients} patients`);
    },
  );
});

/** The bundle's resources with `urn:uuid:` references rewritten to `Type/id`, as the importer stores them. */
function withLocalReferences(bundle: Bundle): Resource[] {
  const local = new Map(
    (bundle.entry ?? []).map((entry) => [
      entry.fullUrl ?? '',
      `${entry.resource?.resourceType}/${entry.fullUrl?.replace('urn:uuid:', '')}`,
    ]),
  );
  return (bundle.entry ?? []).map((entry) => {
    const text = JSON.stringify({ ...entry.resource, id: entry.fullUrl?.replace('urn:uuid:', '') });
    return JSON.parse(
      text.replace(/"urn:uuid:[0-9a-f-]+"/g, (quoted) =>
        JSON.stringify(local.get(quoted.slice(1, -1)) ?? quoted.slice(1, -1)),
      ),
    ) as Resource;
  });
}
