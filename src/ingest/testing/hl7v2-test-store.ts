import { after, before } from 'node:test';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { fixedClock } from '../../kernel/clock.ts';
import { silentLogger } from '../../kernel/logger.ts';
import type { FhirRepository, SqlDatabase } from '../../store/index.ts';
import type { TestBackend as Backend } from '../../store/testing/backends.ts';
import { openTestStore } from '../../store/testing/open-test-store.ts';
import type { Hl7v2Deps } from '../hl7v2/receive-hl7v2-message.ts';

/** A fresh store and the HL7 v2 pipeline's dependencies on it, at a fixed time. */
export async function openHl7v2TestStore(
  backend: Backend,
): Promise<{ db: SqlDatabase; repository: FhirRepository; deps: Hl7v2Deps }> {
  const { db, repository } = await openTestStore(backend);
  return {
    db,
    repository,
    deps: { db, repository, clock: fixedClock('2026-11-23T08:30:05Z'), logger: silentLogger },
  };
}

/** Searches the repository (read when called: tests open it in `before`) and returns the resources. */
export function searchIn(repository: () => FhirRepository) {
  return async <T = Resource>(type: string, params: [string, string][] = []): Promise<T[]> =>
    ((await repository().search({ resourceType: type, params })) as Bundle).entry?.map(
      (entry) => entry.resource as T,
    ) ?? [];
}

export interface Hl7v2Suite {
  db: SqlDatabase;
  repository: FhirRepository;
  deps: Hl7v2Deps;
  search: ReturnType<typeof searchIn>;
}

/** Inside a suite: opens a fresh store before its tests and closes it after; fields are set in `before`. */
export function hl7v2Suite(backend: Backend): Hl7v2Suite {
  const suite = {} as Hl7v2Suite;
  suite.search = searchIn(() => suite.repository);
  before(async () => Object.assign(suite, await openHl7v2TestStore(backend)));
  after(() => suite.db.close());
  return suite;
}
