import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';

/** One grant about her: a caregiver who may act for her, as `/api/portal/proxies` lists it. */
export interface Proxy {
  grant: string;
  name: string;
  relationship: string;
  scope: string[];
  until?: string;
  live: boolean;
}

const PROXIES = ['portal', 'proxies'];

export function useProxies() {
  return useQuery({
    queryKey: PROXIES,
    queryFn: async () => (await api<{ proxies: Proxy[] }>('/api/portal/proxies')).proxies,
  });
}

/** Ends a grant at once: the caregiver's next call for her is refused. */
export function useRevokeProxy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (grant: string) => post(`/api/portal/proxies/${encodeURIComponent(grant)}/revoke`, {}),
    onSuccess: () => client.invalidateQueries({ queryKey: PROXIES }),
  });
}
