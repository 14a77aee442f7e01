import type { Bundle, Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { TypeQuery } from './export-plan.ts';

/** The store's largest page (`searchLimits.maxCount`): fewer round trips, bounded memory. */
const pageSize = 1000;

/**
 * Every match of one search, a page at a time, keyset-paged by id (`after`): each page is one
 * primary-key range scan however deep the export is, and only one page is in memory. Runs
 * through the caller's scoped store, so each page is access-checked and audited.
 */
export async function* pagesOf(
  repository: FhirRepository,
  query: TypeQuery,
  signal: AbortSignal,
): AsyncGenerator<Resource[]> {
  let next = pageAfter({ repository, query, signal }, '');
  for (;;) {
    const bundle = await next;
    const matches = matchesOf(bundle);
    const more = bundle.link?.some((link) => link.relation === 'next') ?? false;
    // The next page is read while this one is written: the database and the writer overlap.
    if (more) next = pageAfter({ repository, query, signal }, lastId(matches, query.resourceType));
    if (matches.length > 0) yield matches;
    if (!more) return;
  }
}

function pageAfter(
  source: { repository: FhirRepository; query: TypeQuery; signal: AbortSignal },
  after: string,
): Promise<Bundle> {
  const { repository, query, signal } = source;
  signal.throwIfAborted();
  const page = repository.search({
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

function matchesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).flatMap((entry) =>
    entry.search?.mode === 'match' && entry.resource ? [entry.resource] : [],
  );
}

/** A full page the checkpoint emptied cannot name where the next begins: refuse rather than loop. */
function lastId(matches: Resource[], resourceType: string): string {
  const id = matches.at(-1)?.id;
  if (id === undefined)
    throw new ThroughlineError('FORBIDDEN', `A whole page of ${resourceType} is hidden from this client`);
  return id;
}
