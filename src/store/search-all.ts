import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from './fhir-repository.ts';

/**
 * Every match of a search, page by page (`_offset`), without the included resources: for
 * callers that need a whole set (a cohort, every consent of a batch of patients). Through the
 * repository it is given, so a scoped store checks and audits each page.
 */
export async function searchAll<T extends Resource>(
  repository: FhirRepository,
  search: { resourceType: string; params: [string, string][]; pageSize?: number },
): Promise<T[]> {
  const found: T[] = [];
  const pageSize = String(search.pageSize ?? 1000);
  for (;;) {
    const bundle = await repository.search({
      resourceType: search.resourceType,
      params: [...search.params, ['_count', pageSize], ['_offset', String(found.length)]],
    });
    const page = (bundle.entry ?? []).filter((entry) => entry.search?.mode !== 'include');
    found.push(...page.map((entry) => entry.resource as T));
    if (page.length === 0 || !bundle.link?.some((link) => link.relation === 'next')) return found;
  }
}
