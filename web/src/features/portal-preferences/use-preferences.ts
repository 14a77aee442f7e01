import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';

export interface ConsentState {
  channel: string;
  purpose: string;
  permitted: boolean;
  explicit: boolean;
}

export interface Access {
  recorded: string;
  who: string;
  role: string;
  action: string;
  what?: string;
}

const CONSENTS = ['portal', 'consents'];

export function useConsents() {
  return useQuery({
    queryKey: CONSENTS,
    queryFn: async () => (await api<{ states: ConsentState[] }>('/api/portal/consents')).states,
  });
}

/** One switch: the server answers what applies now, which replaces the list at once. */
export function useChoose() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (choice: { channel: string; purpose: string; decision: 'permit' | 'deny' }) =>
      post<{ states: ConsentState[] }>('/api/portal/consents', choice),
    onSuccess: (answer) => client.setQueryData(CONSENTS, answer.states),
  });
}

export function useAccessLog() {
  return useQuery({
    queryKey: ['portal', 'access-log'],
    queryFn: async () => (await api<{ accesses: Access[] }>('/api/portal/access-log?_count=100')).accesses,
  });
}
