import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { COHORT_SEARCH_URL, cohortRecords } from '../analytics/index.ts';
import { isThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository } from '../store/index.ts';
import { describeEachBackend } from '../store/testing/backends.ts';
import { testStorePerSuite } from '../store/testing/open-test-store.ts';
import { searchedPatients } from './campaign-cohort.ts';

const DIABETES = 'http://snomed.info/sct|44054006';
const people = Array.from({ length: 20 }, (_, n) => `coh-${String(n).padStart(2, '0')}`);

/** Each of 20 people with two diabetes Conditions; a Group whose members are whom a search finds. */
function clinic(): Resource[] {
  const condition = (patient: string, n: number) =>
    ({
      resourceType: 'Condition',
      id: `${patient}-dm-${n}`,
      subject: { reference: `Patient/${patient}` },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
    }) as Resource;
  const saved = {
    resourceType: 'Group',
    id: 'coh-saved',
    type: 'person',
    actual: false,
    extension: [{ url: COHORT_SEARCH_URL, valueString: `Condition?code=${DIABETES}` }],
  } as Resource;
  return [
    ...people.map((id) => ({ resourceType: 'Patient', id }) as Resource),
    ...people.flatMap((id) => [condition(id, 1), condition(id, 2)]),
    saved,
  ];
}

/** The same store, counting the resources its searches hand back (stored pages or search pages). */
function counted(repository: FhirRepository): { repository: FhirRepository; rows: () => number } {
  let rows = 0;
  return {
    rows: () => rows,
    repository: {
      ...repository,
      readStoredPage: async (request) => {
        const page = await repository.readStoredPage(request);
        rows += page.rows.length;
        return page;
      },
      search: async (request) => {
        const bundle = await repository.search(request);
        rows += bundle.entry?.length ?? 0;
        return bundle;
      },
    },
  };
}

/**
 * A saved search as a cohort (KPIs, campaigns): whom it finds, each once — and, with a limit,
 * it stops reading once it has found one more than the limit, so a cohort too large is refused
 * with a clear error without reading every match.
 */
describeEachBackend('cohorts from a saved search', (backend) => {
  const { repo, db } = testStorePerSuite(backend);
  before(() => repo.importResources(clinic()));

  test('every patient once; with a limit, it stops at limit + 1 patients', async () => {
    const all = await searchedPatients(repo, `Condition?code=${DIABETES}&_sort=-_lastUpdated`);
    assert.deepEqual(
      [...all].sort(),
      people.map((id) => `Patient/${id}`),
    );
    const reader = counted(repo);
    const some = await searchedPatients(reader.repository, `Condition?code=${DIABETES}`, { limit: 5 });
    assert.equal(some.length, 6);
    assert.ok(reader.rows() <= 12, `read ${reader.rows()} Conditions for 6 people (2 each), not all 40`);
  });

  test('a KPI cohort whose search finds more than the limit is a 400 naming cohort', async () => {
    const deps = {
      repository: repo,
      db,
      searchPatients: (search: string, options: { limit: number }) => searchedPatients(repo, search, options),
    };
    assert.deepEqual(await cohortRecords({ ...deps, maxMembers: 20 }, 'coh-saved'), people);
    await assert.rejects(cohortRecords({ ...deps, maxMembers: 5 }, 'coh-saved'), (error) => {
      assert.ok(isThroughlineError(error) && error.code === 'INVALID_REQUEST');
      assert.equal(error.issues[0]?.expression, 'cohort');
      assert.match(error.message, /Group\/coh-saved its search finds more than 5 patients; .* up to 5/);
      return true;
    });
  });
});
