import type { BundleEntry } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import { groupCommit } from '../../kernel/group-commit.ts';
import type { FhirRepository } from '../../store/index.ts';

/** Callers whose writes share one transaction at most (a delivery brings two). */
const MAX_CALLERS = 100;

/** Writes that belong together (all or nothing), committed once they resolve; their response entries. */
export type GroupedWrites = (entries: BundleEntry[]) => Promise<BundleEntry[]>;

const writers = new WeakMap<FhirRepository, GroupedWrites>();

/**
 * The writes of concurrent deliveries (an attempt opened; an attempt accepted with its request
 * completed) in one transaction Bundle through the caller's scoped store: each entry checked and the whole audited
 * as direct writes would be (`processScopedBundle`), one transaction for many deliveries instead
 * of two each (`kernel/group-commit.ts`). A caller's writes commit together or not at all; when
 * a shared Bundle fails, each caller's writes go again alone, so one stale version (a STOP that
 * revoked a request meanwhile) fails only its own delivery, which then handles the conflict.
 */
export function groupedWrites(repository: FhirRepository): GroupedWrites {
  let writer = writers.get(repository);
  if (!writer) {
    writer = groupCommit<BundleEntry[], BundleEntry[]>({
      maxBatch: MAX_CALLERS,
      write: async (batches) => {
        const response = await repository.processBundle({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: batches.flat(),
        });
        let at = 0;
        return batches.map((entries) => (response.entry ?? []).slice(at, (at += entries.length)));
      },
      retryAlone: (error) => !(isThroughlineError(error) && error.code === 'DATABASE_UNAVAILABLE'),
    });
    writers.set(repository, writer);
  }
  return writer;
}
