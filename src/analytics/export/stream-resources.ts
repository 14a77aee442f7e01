import type { FhirRepository, StoredPage, StoredRow } from '../../store/index.ts';
import type { TypeQuery } from './export-plan.ts';

/** The store's largest page (`searchLimits.maxCount`): fewer round trips, bounded memory. */
const pageSize = 1000;

/**
 * Every match of one search, a page at a time, keyset-paged by id (`after`): each page is one
 * primary-key range scan however deep the export is, and only one page is in memory. Read
 * through the caller's scoped store (`readStoredPage`), so each page is access-checked and
 * audited; rows the caller sees as stored come as the stored JSON text, never parsed here.
 */
export async function* pagesOf(
  repository: FhirRepository,
  query: TypeQuery,
  signal: AbortSignal,
): AsyncGenerator<StoredRow[]> {
  let next = pageAfter({ repository, query, signal }, '');
  for (;;) {
    const page = await next;
    // The next page is read while this one is written: the database and the writer overlap.
    if (page.next !== undefined) next = pageAfter({ repository, query, signal }, page.next);
    if (page.rows.length > 0) yield page.rows;
    if (page.next === undefined) return;
  }
}

function pageAfter(
  source: { repository: FhirRepository; query: TypeQuery; signal: AbortSignal },
  after: string,
): Promise<StoredPage> {
  const { repository, query, signal } = source;
  signal.throwIfAborted();
  const page = repository.readStoredPage({
    resourceType: query.resourceType,
    params: [...query.params, ['_count', String(pageSize)]],
    after,
    ...(query.patients
      ? { compartment: { resourceType: 'Patient', id: query.patients[0]!, ids: query.patients } }
      : {}),
  });
  // A reader that stops early (cancelled, a write failed) never awaits this page: not unhandled.
  page.catch(() => undefined);
  return page;
}
