import type { Resource } from '@medplum/fhirtypes';
import type { FhirRepository } from '../../store/index.ts';

/** Every match of a search, page by page (cohort views read whole populations). */
export async function searchAll<T extends Resource>(
  repository: FhirRepository,
  resourceType: string,
  params: [string, string][],
): Promise<T[]> {
  const found: T[] = [];
  for (;;) {
    const bundle = await repository.search({
      resourceType,
      params: [...params, ['_count', '1000'], ['_offset', String(found.length)]],
    });
    const page = (bundle.entry ?? []).filter((entry) => entry.search?.mode !== 'include');
    found.push(...page.map((entry) => entry.resource as T));
    if (page.length === 0 || !bundle.link?.some((link) => link.relation === 'next')) return found;
  }
}
