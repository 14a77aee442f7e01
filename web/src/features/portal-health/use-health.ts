import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import type { Bundle, Resource } from '../../shared/fhir/types.ts';

/**
 * One FHIR search with the patient's own token. The server searches her compartment (every
 * linked record) only and leaves out what her role may not see, so the page shows the answer.
 */
export function useSearch<T extends Resource>(type: string, params: Record<string, string>) {
  const query = new URLSearchParams({ _count: '200', ...params }).toString();
  return useQuery({
    queryKey: ['portal', type, query],
    queryFn: async () => {
      const bundle = await api<Bundle<T>>(`/fhir/${type}?${query}`);
      return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    },
  });
}
