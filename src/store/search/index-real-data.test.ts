import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describeEachBackend } from '../testing/backends.ts';
import type { SqlDatabase } from '../sql/database.ts';
import { searchResources } from './search-resources.ts';
import { seedResources } from './testing/seed-resources.ts';
import { missingReason, readSyntheaResources, sharedData } from './testing/shared-data.ts';

const examplesSkip = missingReason('fhir-examples/r4');
const syntheaSkip = missingReason('synthea/dev');
const baseUrl = 'http://t/fhir';
const search = (db: SqlDatabase, resourceType: string, query: string): Promise<Bundle> =>
  searchResources(db, { resourceType, params: [...new URLSearchParams(query)], baseUrl });

/** A few official examples of each type, minus the two known-invalid ones that lack an id. */
function officialExamples(): Resource[] {
  const out: Resource[] = [];
  for (const type of readdirSync(`${sharedData}fhir-examples/r4`)) {
    const folder = `${sharedData}fhir-examples/r4/${type}`;
    for (const file of readdirSync(folder).sort().slice(0, 5)) {
      const resource = JSON.parse(readFileSync(`${folder}/${file}`, 'utf8')) as Resource;
      if (resource.id && resource.resourceType !== 'Bundle') out.push(resource);
    }
  }
  return out;
}

describeEachBackend('search: indexing real data', (backend) => {
  let db: SqlDatabase;
  before(async () => {
    db = await backend.open();
  });
  after(() => db.close());

  test(
    'official R4 examples of every type index and can be found by _id',
    { skip: examplesSkip },
    async () => {
      const examples = officialExamples();
      await seedResources(db, examples);
      for (const example of examples.slice(0, 40)) {
        const bundle = await search(db, example.resourceType, `_id=${example.id}`);
        assert.equal(bundle.entry?.[0]?.resource?.id, example.id);
      }
      const patient = await search(db, 'Patient', 'family=chalmers&_count=1');
      assert.equal(patient.entry?.length, 1);
    },
  );

  test(
    'Synthea patients: index in one call, then searches by token, date and chain',
    { skip: syntheaSkip },
    async () => {
      const resources = readSyntheaResources(3);
      await seedResources(db, resources);
      const patient = resources.find((resource) => resource.resourceType === 'Patient')!;
      const observations = resources.filter(
        (resource) =>
          resource.resourceType === 'Observation' &&
          (resource as { subject?: { reference?: string } }).subject?.reference === `Patient/${patient.id}`,
      );
      const counted = await search(db, 'Observation', `subject=Patient/${patient.id}&_summary=count`);
      assert.equal(counted.total, observations.length);
      const page = await search(db, 'Observation', `patient=${patient.id}&_sort=-date&_count=5`);
      assert.equal(page.entry?.length, Math.min(5, observations.length));
      const chained = await search(
        db,
        'Observation',
        `patient.name=${(patient as { name?: { family?: string }[] }).name?.[0]?.family}&_summary=count`,
      );
      assert.ok((chained.total ?? 0) >= observations.length);
      const conditions = await search(
        db,
        'Condition',
        `patient=${patient.id}&onset-date=le2100&_summary=count`,
      );
      assert.ok((conditions.total ?? 0) > 0);
    },
  );
});
