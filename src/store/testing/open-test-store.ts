import type { SqlDatabase } from '../sql/database.ts';
import { createFhirRepository } from '../create-repository.ts';
import type { FhirRepository } from '../fhir-repository.ts';
import type { TestBackend } from './backends.ts';
import { forwardTo, suiteFixture } from './suite-fixture.ts';

/** What storage tests work with: a freshly migrated, isolated database and the store on it. */
export interface TestStore {
  db: SqlDatabase;
  repository: FhirRepository;
}

/** The one test setup for the store: `backend.open()` and an unscoped repository on it. */
export async function openTestStore(backend: TestBackend): Promise<TestStore> {
  const db = await backend.open();
  return { db, repository: createFhirRepository(db, { baseUrl: 'http://test/fhir' }) };
}

/** A test store per suite (call inside `describe`): opened before its tests, closed after. */
export function testStorePerSuite(backend: TestBackend): { db: SqlDatabase; repo: FhirRepository } {
  const store = suiteFixture(
    () => openTestStore(backend),
    (opened) => opened.db.close(),
  );
  return { db: forwardTo(() => store.db), repo: forwardTo(() => store.repository) };
}
