import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';

/** One request to correct her record, as `GET /api/portal/corrections` lists it. */
export interface Correction {
  id: string;
  status: string;
  description: string;
  focus?: string;
  authoredOn?: string;
  statusReason?: string;
}

const KEY = ['portal', 'corrections'];

export function useCorrections() {
  return useQuery({
    queryKey: KEY,
    queryFn: async () => (await api<{ corrections: Correction[] }>('/api/portal/corrections')).corrections,
  });
}

/** Sends her request; her list is read again so it shows with its status. */
export function useRequestCorrection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (wish: { description: string; focus?: string }) =>
      post<{ correction: Correction }>('/api/portal/corrections', wish),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
