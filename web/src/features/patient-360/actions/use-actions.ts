import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '../../../shared/api/http.ts';
import type { Resource } from '../../../shared/fhir/types.ts';

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
