import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';

export interface QuietHours {
  start: string;
  end: string;
}

/** Hers (absent: the clinic's apply) and the clinic's (`GET /api/portal/quiet-hours`). */
export interface QuietHoursView {
  own?: QuietHours;
  clinic?: QuietHours;
}

const KEY = ['portal', 'quiet-hours'];

export function useQuietHours() {
  return useQuery({ queryKey: KEY, queryFn: () => api<QuietHoursView>('/api/portal/quiet-hours') });
}

/**
 * Sets hers, or (`undefined`) goes back to the clinic's. Her record changed on the server, so
 * every portal query is read again (the channel form must not write back an older copy).
 */
export function useSaveQuietHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (quietHours: QuietHours | undefined) =>
      api<QuietHoursView>('/api/portal/quiet-hours', {
        method: quietHours ? 'PUT' : 'DELETE',
        ...(quietHours ? { body: JSON.stringify(quietHours) } : {}),
      }),
    onSuccess: async (view) => {
      await client.invalidateQueries({ queryKey: ['portal'] });
      client.setQueryData(KEY, view);
    },
  });
}
