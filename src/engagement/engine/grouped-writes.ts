import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { groupCommit } from '../../kernel/group-commit.ts';
import type { FhirRepository } from '../../store/index.ts';

/** Callers whose writes share one transaction at most (a delivery brings two). */
const MAX_CALLERS = 100;

/** Writes that belong together (all or nothing), committed once they resolve. */
export type GroupedWrites = (entries: BundleEntry[]) => Promise<void>;

const writers = new WeakMap<FhirRepository, GroupedWrites>();

/**
 * The final writes of concurrent deliveries (the attempt accepted, the request completed) in one
 * transaction Bundle through the caller's scoped store: each entry checked and the whole audited
 * as direct writes would be (`processScopedBundle`), one transaction for many deliveries instead
 * of two each (`kernel/group-commit.ts`). A caller's writes commit together or not at all; when
 * a shared Bundle fails, each caller's writes go again alone, so one stale version (a STOP that
 * revoked a request meanwhile) fails only its own delivery, which then handles the conflict.
 */
export function groupedWrites(repository: FhirRepository): GroupedWrites {
  let writer = writers.get(repository);
  if (!writer) {
    writer = groupCommit<BundleEntry[]>({
      maxBatch: MAX_CALLERS,
      write: async (batches) =>
        void (await repository.processBundle({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: batches.flat(),
        })),
      retryAlone: (error) => !(isThroughlineError(error) && error.code === 'DATABASE_UNAVAILABLE'),
    });
    writers.set(repository, writer);
  }
  return writer;
}

/** An update by id as a transaction entry, with the version it replaces when one is expected. */
export function updateEntry(resource: Resource & { id: string }, ifMatch?: string): BundleEntry {
  return {
    resource,
    request: {
      method: 'PUT',
      url: `${resource.resourceType}/${resource.id}`,
      ...(ifMatch ? { ifMatch: `W/"${ifMatch}"` } : {}),
    },
  };
}
