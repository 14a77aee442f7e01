import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../shared/api/http.ts';

interface WorklistSummary {
  name: string;
  count: number;
}

/** The numbers beside the nav entries: open work, and duplicates awaiting review. */
export function useNavCounts(): Partial<Record<'worklists' | 'duplicates', number>> {
  // Counting every list is the heaviest read of a page load; the page's own data goes first
  // (on the embedded database, queries run one at a time).
  const [due, setDue] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDue(true), 1500);
    return () => clearTimeout(timer);
  }, []);
  const query = useQuery({
    queryKey: ['worklists'],
    enabled: due,
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
