import { openTestStore } from './testing/open-test-store.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Patient, Resource } from '@medplum/fhirtypes';
import { systemClock } from '../kernel/clock.ts';
import { describeEachBackend } from './testing/backends.ts';
import type { FhirRepository } from './fhir-repository.ts';
import type { SqlDatabase } from './sql/database.ts';
import { findMatchesMany, type Criteria } from './find-matches.ts';

const SYSTEM = 'http://demo.clinic/mrn';
const patient = (value: string, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system: SYSTEM, value }],
  ...extra,
});

describeEachBackend('findMatchesMany', (backend) => {
  let db: SqlDatabase;
  let repo: FhirRepository;
  before(async () => {
    ({ db, repository: repo } = await openTestStore(backend));
    await repo.create(patient('ONE'));
    await repo.create(patient('TWICE'));
    await repo.create(patient('TWICE'));
    const gone = await repo.create(patient('DELETED'));
    await repo.delete('Patient', gone.resource.id!);
    await repo.create(patient('OTHER', { identifier: [{ system: 'http://elsewhere', value: 'ONE' }] }));
    await repo.create(patient('a,b'));
  });
  after(() => db.close());

  // Identifier criteria take a fast path; the answer must be what a search gives, whatever the shape.
  const criteria: Criteria[] = [
    { resourceType: 'Patient', query: `identifier=${encodeURIComponent(`${SYSTEM}|ONE`)}` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|TWICE` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|DELETED` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|NOBODY` },
    { resourceType: 'Patient', query: 'identifier=ONE' },
    { resourceType: 'Patient', query: `identifier=|ONE` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|a\\,b` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|ONE,${SYSTEM}|NOBODY` },
    { resourceType: 'Patient', query: `identifier=${SYSTEM}|ONE&gender=female` },
    { resourceType: 'Observation', query: `identifier=${SYSTEM}|ONE` },
  ];

  test('answers each criterion exactly as a search for it does, in one call', async () => {
    const found = await db.transaction((tx) =>
      findMatchesMany({ tx, baseUrl: 'http://test/fhir', clock: systemClock } as never, criteria),
    );
    for (const [at, { resourceType, query }] of criteria.entries()) {
      const searched = (await repo.search({
        resourceType,
        params: [...new URLSearchParams(query)],
      })) as Bundle;
      const expected = (searched.entry ?? []).map((entry) => (entry.resource as Resource).id).sort();
      const actual = found[at]!.map((resource) => resource.id).sort();
      assert.deepEqual(actual, expected.slice(0, 2), `${resourceType}?${query}`);
    }
    assert.equal(found[1]!.length, 2, 'two records with one identifier are both found');
    assert.equal(found[2]!.length, 0, 'a deleted record is not a match');
  });
});
