import type { SqlDatabase } from '../sql/database.ts';
import { createFhirRepository } from '../create-repository.ts';
import type { FhirRepository } from '../fhir-repository.ts';
import type { TestBackend } from './backends.ts';

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
