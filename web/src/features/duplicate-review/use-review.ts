import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import type { Bundle, Patient } from '../../shared/fhir/types.ts';

export interface ReviewItem {
  taskId: string;
  status: string;
  recordIds: [string, string];
  score: number;
  explanation: { field: string; level: string; weight: number }[];
  createdAt?: string;
}

export type Decision = 'link' | 'merge' | 'reject' | 'defer';

export function useReviewQueue() {
  return useQuery({
    queryKey: ['identity-review-queue'],
    queryFn: async () => (await api<{ items: ReviewItem[] }>('/api/identity/review')).items,
  });
}

export function usePair(recordIds: string[] | undefined) {
  return useQuery({
    queryKey: ['pair', recordIds?.join(',')],
    enabled: !!recordIds,
    queryFn: async () => {
      const bundle = await api<Bundle<Patient>>(`/fhir/Patient?_id=${recordIds!.join(',')}`);
      const byId = new Map((bundle.entry ?? []).map((entry) => [entry.resource?.id, entry.resource]));
      return recordIds!.map((id) => byId.get(id));
    },
  });
}

function useRefreshAfter() {
  const client = useQueryClient();
  return () => {
    for (const key of ['identity-review-queue', 'identity-review', 'worklists', 'worklist', 'pair'])
      void client.invalidateQueries({ queryKey: [key] });
  };
}

/** Link, merge, not-a-duplicate (reject) or decide later (defer). */
export function useDecision() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: ({ taskId, decision }: { taskId: string; decision: Decision }) =>
      post(`/api/identity/review/${encodeURIComponent(taskId)}/decision`, { decision }),
    onSettled: refresh,
  });
}

/** Undo a merge: the source record comes back with what was moved from it. */
export function useUnmerge() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: (sourceId: string) =>
      post('/fhir/Patient/$unmerge', {
        resourceType: 'Parameters',
        parameter: [{ name: 'source-patient', valueReference: { reference: `Patient/${sourceId}` } }],
      }),
    onSettled: refresh,
  });
}
