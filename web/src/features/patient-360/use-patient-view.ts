import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import type { Patient360, TimelineEvent } from './view-types.ts';

export function usePatient360(id: string) {
  return useQuery({
    queryKey: ['patient-360', id],
    queryFn: () => api<Patient360>(`/api/patients/${encodeURIComponent(id)}/360`),
  });
}

const PAGE = 25;

/** The timeline, a page at a time (the server's cursor), filtered by category on the server. */
export function useTimeline(id: string, categories: string[]) {
  return useInfiniteQuery({
    queryKey: ['timeline', id, [...categories].sort().join(',')],
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (categories.length > 0) query.set('category', categories.join(','));
      if (pageParam) query.set('cursor', pageParam);
      return api<{ events: TimelineEvent[]; next?: string }>(
        `/api/patients/${encodeURIComponent(id)}/timeline?${query}`,
      );
    },
    getNextPageParam: (page) => page.next,
    placeholderData: (previous) => previous,
  });
}
