import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../../shared/api/http.ts';
import type { Bundle, Resource } from '../../../shared/fhir/types.ts';

/** A proposed Appointment from `$find` (src/scheduling/find/proposal.ts): all `$book` needs back. */
export interface Proposal extends Resource {
  start?: string;
  end?: string;
  minutesDuration?: number;
  serviceType?: { text?: string; coding?: { display?: string }[] }[];
  participant: { actor?: { reference?: string } }[];
}

export const FREE_TIMES = 12;

/** The next free times for the patient from a day on (the patient's own bookings left out). */
export function useFreeTimes(patient: string, from: string | undefined) {
  return useQuery({
    queryKey: ['free-times', patient, from],
    enabled: from !== undefined,
    queryFn: async () => {
      const params = new URLSearchParams({ patient, _count: String(FREE_TIMES) });
      if (from) params.set('start', from);
      const bundle = await api<Bundle<Proposal>>(`/fhir/Appointment/$find?${params.toString()}`);
      return (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
    },
  });
}

/** `$book` of a proposal; a 409 (someone took the time first) refreshes the free times. */
export function useBook(patient: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (appointment: Proposal) =>
      post<Resource>('/fhir/Appointment/$book', {
        resourceType: 'Parameters',
        parameter: [{ name: 'appointment', resource: appointment }],
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['free-times', patient] });
      void client.invalidateQueries({ queryKey: ['timeline'] });
      void client.invalidateQueries({ queryKey: ['patient-360'] });
      void client.invalidateQueries({ queryKey: ['today'] });
    },
  });
}

export interface MessageInput {
  patient: string;
  channel: string;
  purpose: string;
  text: string;
}

export interface CallInput {
  patient: string;
  direction: 'inbound' | 'outbound';
  missed: boolean;
  note: string;
}

/** Send a one-off message, or log a call; the engagement section and the timeline refresh after. */
export function useEngagementAction<T>(path: '/api/engagement/messages' | '/api/engagement/calls') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: T) => post<Record<string, string>>(path, input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['timeline'] });
      void client.invalidateQueries({ queryKey: ['patient-360'] });
    },
  });
}

export interface FollowUpInput {
  patient: string;
  title: string;
  note: string;
  due: string;
  priority: 'routine' | 'urgent';
}

/** A follow-up on the team's list (`POST /api/worklists/follow-ups`); the lists and counts refresh. */
export function useFollowUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: FollowUpInput) => post<Resource>('/api/worklists/follow-ups', input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['worklist'] });
      void client.invalidateQueries({ queryKey: ['worklists'] });
      void client.invalidateQueries({ queryKey: ['patient-360'] });
    },
  });
}
