import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { currentPatient } from '../../shared/session/acting-for.ts';
import type { PatientWithLanguage } from './contact-preferences.ts';

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

const OWN_RECORD = ['portal', 'own-record'];

/** Her own Patient record (the one her account stands for), read with her own token. */
export function useOwnRecord() {
  return useQuery({
    queryKey: OWN_RECORD,
    queryFn: () => api<PatientWithLanguage>(`/fhir/Patient/${currentPatient() ?? ''}`),
  });
}

/** Writes her record back whole (the server keeps what she may not change as it was). */
export function useSaveOwnRecord() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patient: PatientWithLanguage) =>
      api<PatientWithLanguage>(`/fhir/Patient/${patient.id}`, {
        method: 'PUT',
        body: JSON.stringify(patient),
        headers: { 'content-type': 'application/fhir+json' },
      }),
    onSuccess: (saved) => client.setQueryData(OWN_RECORD, saved),
  });
}
