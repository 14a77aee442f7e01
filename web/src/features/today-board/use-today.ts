import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { idOf } from '../../shared/fhir/format.ts';

/** One line of `GET /api/scheduling/today` (src/scheduling/today/front-desk-today.ts). */
export interface TodayItem {
  appointment: string;
  patient?: string;
  start?: string;
  end?: string;
  state: string;
  waitingMinutes?: number;
  noShowRisk?: number;
  practitioners: string[];
  location?: string;
  description?: string;
  /** The patient's open care gaps, referrals to chase and messages, as the caller may see them. */
  openWork?: { task: string; worklist: string; title: string }[];
}

/** How often the board asks again: arrivals at the desk and check-ins elsewhere show up on their own. */
export const REFRESH_MS = 15_000;

export function useToday() {
  return useQuery({
    queryKey: ['today'],
    queryFn: () => api<{ items: TodayItem[] }>('/api/scheduling/today'),
    refetchInterval: REFRESH_MS,
    staleTime: 5_000,
  });
}

export type DeskAction = 'check-in' | 'no-show';

/** Check a patient in, or mark a no-show; the board refreshes after (a 409 says someone was first). */
export function useDeskAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ item, action }: { item: TodayItem; action: DeskAction }) =>
      post(`/api/scheduling/appointments/${encodeURIComponent(idOf(item.appointment))}/${action}`, {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['today'] }),
  });
}
