import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { ExportFile } from './run-export.ts';
import { openNdjson, type NdjsonFile } from './write-ndjson.ts';

/** History entries per page (the store's largest). */
const pageSize = 1000;

export interface DeletedWindow {
  types: string[];
  /** `_since`: deletions after it. */
  since: string;
  /** The export's `transactionTime`: deletions up to it (later ones are the next export's). */
  until: string;
  /** A Group export: only deletions in its members' compartments. */
  patients?: string[];
}

/**
 * Bulk Data Access IG v2, the manifest's `deleted`: "output files containing FHIR Transaction
 * Bundles that indicate which FHIR resources would have been returned, but have been deleted
 * subsequent to" `_since` — each line a `transaction` Bundle of `DELETE` entries (`request.url`
 * `Type/id`), one Bundle per page of a type's history. Read through the caller's scoped store
 * (`history`, guarded and audited), in the window `(since, until]` so paging is stable while
 * others write. A resource deleted and created again in the window is live, not deleted: only
 * the newest version of each id in the window counts (the ids of the changed resources of the
 * type being exported are kept to tell — they grow with the changes since `_since`, not the store).
 * A Group export lists the deletions in its members' compartments: a deletion keeps the
 * compartment of the version it deleted (its first compartment parameter; a Patient its own id).
 */
export async function writeDeleted(
  run: { repository: FhirRepository; dir: string; signal: AbortSignal },
  window: DeletedWindow,
): Promise<ExportFile[]> {
  const path = join(run.dir, 'deleted.ndjson');
  const file = openNdjson(path);
  try {
    for (const resourceType of window.types) await writeDeletedOfType(run, { file, resourceType, window });
  } finally {
    await file.close();
  }
  if (file.count > 0) return [{ type: 'Bundle', name: 'deleted.ndjson', count: file.count }];
  await rm(path, { force: true });
  return [];
}

async function writeDeletedOfType(
  run: { repository: FhirRepository; signal: AbortSignal },
  target: { file: NdjsonFile; resourceType: string; window: DeletedWindow },
): Promise<void> {
  const { file, resourceType, window } = target;
  try {
    for await (const deletions of deletionsOf(run, { resourceType, window })) {
      const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: deletions };
      await file.write([JSON.stringify(bundle)]);
    }
  } catch (error) {
    // A type the client may not read has no deletions for it either (its refusal is in `error`).
    if (!(isThroughlineError(error) && error.code === 'FORBIDDEN')) throw error;
  }
}

async function* deletionsOf(
  run: { repository: FhirRepository; signal: AbortSignal },
  target: { resourceType: string; window: DeletedWindow },
): AsyncGenerator<BundleEntry[]> {
  const { resourceType, window } = target;
  const newestSeen = new Set<string>();
  const after = Date.parse(window.since);
  for (let offset = 0; ; offset += pageSize) {
    run.signal.throwIfAborted();
    const page = await run.repository.history({
      resourceType,
      since: window.since,
      until: window.until,
      ...(window.patients ? { patients: window.patients } : {}),
      count: pageSize,
      offset,
    });
    const deleted = (page.entry ?? []).flatMap((entry) => {
      const id = entry.fullUrl?.split('/').at(-1) ?? '';
      // History comes newest first: the first version of an id met is its state in the window.
      const newest = !newestSeen.has(id) && Boolean(newestSeen.add(id));
      const when = Date.parse(entry.response?.lastModified ?? '');
      return newest && entry.request?.method === 'DELETE' && when > after ? [id] : [];
    });
    if (deleted.length > 0)
      yield deleted.map((id) => ({ request: { method: 'DELETE', url: `${resourceType}/${id}` } }));
    if (!page.link?.some((link) => link.relation === 'next')) return;
  }
}
