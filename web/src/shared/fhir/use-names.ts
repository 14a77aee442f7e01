import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http.ts';
import { idOf } from './format.ts';
import type { Bundle, HumanName, Resource } from './types.ts';

interface Named extends Resource {
  name?: HumanName[] | string;
}

/** A person's or a place's name: `Location.name`, else the first HumanName. */
export function displayName(resource: Named | undefined): string | undefined {
  const { name } = resource ?? {};
  if (typeof name === 'string') return name;
  const first = name?.find((n) => n.use === 'official') ?? name?.[0];
  if (!first) return undefined;
  return first.text ?? [...(first.given ?? []), first.family].filter(Boolean).join(' ');
}

/**
 * The resources behind a page's references of one type, in one `_id` search: reference →
 * resource. The key is the sorted id list, so the same page asks once.
 */
export function useReferenced<T extends Resource>(resourceType: string, references: (string | undefined)[]) {
  const ids = [
    ...new Set(
      references.flatMap((reference) => (reference?.startsWith(`${resourceType}/`) ? [idOf(reference)] : [])),
    ),
  ].sort();
  return useQuery({
    queryKey: ['referenced', resourceType, ids.join(',')],
    enabled: ids.length > 0,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const bundle = await api<Bundle<T>>(`/fhir/${resourceType}?_id=${ids.join(',')}&_count=${ids.length}`);
      return new Map(
        (bundle.entry ?? []).flatMap((entry) =>
          entry.resource ? [[`${resourceType}/${entry.resource.id}`, entry.resource]] : [],
        ),
      );
    },
  });
}
