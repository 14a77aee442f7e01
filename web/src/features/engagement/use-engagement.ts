import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import type { Communication } from '../../shared/messages/message-channel.ts';

/** One message of the local outbox (`GET /api/engagement/outbox`, src/store/outreach-outbox.ts). */
export interface OutboxMessage {
  id: string;
  channel: string;
  recipient: string;
  subject?: string;
  body: string;
  createdAt: string;
}

export interface AttentionItem {
  id: string;
  patient?: string;
  title: string;
  description?: string;
  status: string;
  date?: string;
  owner?: { display?: string };
  /** What the item is about: for unanswered messages, the patient's Communication. */
  focus?: string;
  /** That Communication, when the caller may read it (the server reads it through the checkpoint). */
  message?: Communication;
}

/** The lists where patients' replies and failed outreach wait for a person (journey's and engagement's). */
export const ATTENTION_LISTS = [
  { name: 'unanswered-messages', label: 'Unanswered messages' },
  { name: 'reschedule-requests', label: 'Reschedule requests' },
  { name: 'outreach-failures', label: 'Could not be delivered' },
  { name: 'call-backs', label: 'Missed calls to return' },
] as const;

export const OUTBOX_PAGE = 25;

/** A due request held back (`GET /api/engagement/outbox/deferred`): when it goes next and why. */
export interface DeferredRequest {
  request: string;
  patient?: string;
  purpose?: string;
  channel?: string;
  due?: string;
  until: string;
  reason: 'quiet-hours' | 'sms-cap';
  /** The patient's IANA zone (her quiet hours and SMS day are kept in it). */
  zone?: string;
}

export function useDeferred() {
  return useQuery({
    queryKey: ['outbox-deferred'],
    queryFn: () => api<{ deferred: DeferredRequest[] }>('/api/engagement/outbox/deferred?_count=50'),
    refetchInterval: 30_000,
  });
}

export function useOutbox(page: number) {
  return useQuery({
    queryKey: ['outbox', page],
    queryFn: () =>
      api<{ messages: OutboxMessage[] }>(
        `/api/engagement/outbox?_count=${OUTBOX_PAGE}&_offset=${page * OUTBOX_PAGE}`,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useAttention(name: string) {
  return useQuery({
    queryKey: ['worklist', name, 0],
    queryFn: () => api<{ total: number; items: AttentionItem[] }>(`/api/worklists/${name}?_count=50`),
    refetchInterval: 30_000,
  });
}

/** Marks a reply handled (completes its task); the lists and the nav counts refresh. */
export function useHandled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post(`/api/worklists/tasks/${encodeURIComponent(id)}/complete`, {}),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['worklist'] });
      void client.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}
