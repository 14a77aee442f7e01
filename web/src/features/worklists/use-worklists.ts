import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, post } from '../../shared/api/http.ts';
import { idOf } from '../../shared/fhir/format.ts';
import type { Bundle, Patient } from '../../shared/fhir/types.ts';
import type { Communication } from '../../shared/messages/message-channel.ts';

export interface WorklistSummary {
  name: string;
  title: string;
  description: string;
  count: number;
}

export interface WorklistItem {
  id: string;
  reference: string;
  patient?: string;
  title: string;
  description?: string;
  status: string;
  priority?: string;
  owner?: { reference?: string; display?: string };
  date?: string;
  snoozedUntil?: string;
  /** What the item is about (an unanswered message: the patient's Communication). */
  focus?: string;
  /** That message, when the caller may read it: the server reads it through the checkpoint. */
  message?: Communication;
}

export const PAGE_SIZE = 20;

export function useWorklistSummaries() {
  return useQuery({
    queryKey: ['worklists'],
    queryFn: () => api<{ worklists: WorklistSummary[] }>('/api/worklists'),
  });
}

export function useWorklist(name: string, page: number) {
  return useQuery({
    queryKey: ['worklist', name, page],
    queryFn: () =>
      api<{ total: number; items: WorklistItem[] }>(
        `/api/worklists/${encodeURIComponent(name)}?_count=${PAGE_SIZE}&_offset=${page * PAGE_SIZE}`,
      ),
    placeholderData: (previous) => previous,
    // A replied message leaves its list once the reply is sent: the list shows that without a reload.
    refetchInterval: 30_000,
  });
}

/** The names of the patients on a page of work, in one search. */
export function usePatientNames(items: WorklistItem[] | undefined) {
  const ids = [
    ...new Set((items ?? []).flatMap((item) => (item.patient ? [idOf(item.patient)] : []))),
  ].sort();
  return useQuery({
    queryKey: ['patient-names', ids.join(',')],
    enabled: ids.length > 0,
    queryFn: async () => {
      const bundle = await api<Bundle<Patient>>(`/fhir/Patient?_id=${ids.join(',')}&_count=${ids.length}`);
      return new Map(
        (bundle.entry ?? []).flatMap((entry) =>
          entry.resource ? [[entry.resource.id!, entry.resource]] : [],
        ),
      );
    },
  });
}

export type WorklistAction = 'claim' | 'release' | 'complete' | 'snooze';

/** Claim, release, complete or snooze one item; the lists and the nav counts refresh after. */
export function useWorklistAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ item, action, until }: { item: WorklistItem; action: WorklistAction; until?: string }) =>
      post(`/api/worklists/tasks/${encodeURIComponent(item.id)}/${action}`, until ? { until } : {}),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['worklist'] });
      void client.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}

/** The worklist of patients' requests to correct their record: answered, not completed. */
export const CORRECTIONS_WORKLIST = 'record-corrections';

/** Accepts or refuses (with the reason she reads) a request to correct a record; the lists refresh. */
export function useAnswerCorrection() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      item,
      decision,
      reason,
    }: {
      item: WorklistItem;
      decision: 'accept' | 'reject';
      reason?: string;
    }) =>
      post(`/api/worklists/corrections/${encodeURIComponent(item.id)}/${decision}`, reason ? { reason } : {}),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['worklist'] });
      void client.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}
