import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api/http.ts';

interface WorklistSummary {
  name: string;
  count: number;
}

/** The numbers beside the nav entries: open work, and duplicates awaiting review. */
export function useNavCounts(): Partial<Record<'worklists' | 'duplicates', number>> {
  const query = useQuery({
    queryKey: ['worklists'],
    queryFn: () => api<{ worklists: WorklistSummary[] }>('/api/worklists'),
    refetchInterval: 60_000,
  });
  const lists = query.data?.worklists;
  if (!lists) return {};
  return {
    worklists: lists
      .filter((list) => list.name !== 'possible-duplicates')
      .reduce((sum, list) => sum + list.count, 0),
    duplicates: lists.find((list) => list.name === 'possible-duplicates')?.count,
  };
}
