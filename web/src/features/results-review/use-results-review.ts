import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';

/** One result the clinic holds for review (`GET /api/results/held`). */
export interface HeldResult {
  result: string;
  title: string;
  patient?: string;
  patientName?: string;
  issued?: string;
  /** When the patient sees it anyway. */
  heldUntil: string;
}

export function useHeldResults() {
  return useQuery({
    queryKey: ['results-review'],
    queryFn: () => api<{ results: HeldResult[] }>('/api/results/held'),
    refetchInterval: 60_000,
  });
}

/** Releases one result to the patient now (a Provenance naming the clinician); the list refreshes. */
export function useRelease() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (result: string) => post<{ already: boolean }>(`/api/results/${result}/release`, {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['results-review'] }),
  });
}
