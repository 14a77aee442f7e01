import type { Resource } from '@medplum/fhirtypes';
import { isDatabaseUnavailable, ThroughlineError } from '../../kernel/errors.ts';
import { groupCommit } from '../../kernel/group-commit.ts';
import type { FhirRepository } from '../../store/index.ts';

/** Ids per search: the store's limit on one parameter's OR list. */
const IDS_PER_SEARCH = 100;

type Lookup = (id: string) => Promise<Resource | undefined>;

/**
 * The same store, with reads by id of concurrent deliveries (each reads its request and its
 * patient) asked together: while one search is in flight, the reads that arrive wait and go as
 * the next one, `_id=a,b,…` per type (`kernel/group-commit.ts`). Each is still the caller's own
 * scoped call — checked, and audited as a search naming every patient it returned — and still
 * sees every write committed before it was asked. What the search does not return reads as not
 * found, as a read of it would.
 */
export function coalescedReads(repository: FhirRepository): FhirRepository {
  const lookups = new Map<string, Lookup>();
  const lookupOf = (resourceType: string): Lookup => {
    let lookup = lookups.get(resourceType);
    if (!lookup) lookups.set(resourceType, (lookup = searchById(repository, resourceType)));
    return lookup;
  };
  return {
    ...repository,
    async read<T extends Resource = Resource>(resourceType: string, id: string): Promise<T> {
      const found = await lookupOf(resourceType)(id);
      if (!found) throw new ThroughlineError('NOT_FOUND', `${resourceType}/${id} not found`);
      return found as T;
    },
  };
}

function searchById(repository: FhirRepository, resourceType: string): Lookup {
  return groupCommit<string, Resource | undefined>({
    maxBatch: IDS_PER_SEARCH,
    write: async (ids) => {
      const unique = [...new Set(ids)];
      const bundle = await repository.search({
        resourceType,
        params: [
          ['_id', unique.join(',')],
          ['_count', String(unique.length)],
        ],
      });
      const found = new Map((bundle.entry ?? []).map((entry) => [entry.resource?.id, entry.resource]));
      return ids.map((id) => found.get(id));
    },
    // A malformed id fails the shared search: asked alone, it fails only its own caller.
    retryAlone: (error) => !isDatabaseUnavailable(error),
  });
}
