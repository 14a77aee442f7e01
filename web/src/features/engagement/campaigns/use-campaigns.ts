import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/http.ts';
import type { CampaignBody } from './campaign-plan.ts';

/** `GET /api/engagement/campaign-cohorts`: what a cohort may be chosen by besides a search. */
export interface CohortChoices {
  journeys: { id: string; title: string; stages: { code: string; display: string }[] }[];
  careGaps: { id: string; title: string }[];
}

export type DeliveryPreview = { send: true; channel: string; at: string } | { send: false; reason: string };

/** `POST /api/engagement/campaigns/preview`: the engine's decision per person, nothing written. */
export interface CampaignPreview {
  people: number;
  channels: Record<string, number>;
  deferred: number;
  notSent: number;
  outcomes: { patient: string; due: string; outcome: DeliveryPreview }[];
}

export interface CampaignOutline {
  id: string;
  name: string;
  people: number;
  created?: string;
}

/** `GET /api/engagement/campaigns/{id}`: where a campaign stands. */
export interface CampaignReport {
  id: string;
  name: string;
  purpose: string;
  channel?: string;
  text?: string;
  perHour: number;
  startAt: string;
  cohort: string;
  people: number;
  requests: { scheduled: number; due: number; deferred: number; sent: number; stopped: number };
  stopReasons: { reason: string; count: number }[];
  channels: Record<string, Record<string, number>>;
  replies: number;
  optOuts: number;
}

export function useCohortChoices() {
  return useQuery({
    queryKey: ['campaign-cohorts'],
    queryFn: () => api<CohortChoices>('/api/engagement/campaign-cohorts'),
    staleTime: Infinity,
  });
}

export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns'],
    queryFn: () => api<{ campaigns: CampaignOutline[] }>('/api/engagement/campaigns'),
  });
}

export function useCampaignReport(id: string | undefined) {
  return useQuery({
    queryKey: ['campaign', id],
    enabled: id !== undefined,
    queryFn: () => api<CampaignReport>(`/api/engagement/campaigns/${encodeURIComponent(id!)}`),
    refetchInterval: 15_000,
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (body: CampaignBody) =>
      api<CampaignPreview>('/api/engagement/campaigns/preview', {
        method: 'POST',
        body: JSON.stringify(body),
      }),
  });
}

/**
 * Launches with the key made when the preview was shown: a second click, or a retry after a
 * lost answer, is the same campaign (the server creates nothing twice for one key).
 */
export function useLaunch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CampaignBody; key: string }) =>
      api<{ id: string; requests: number }>('/api/engagement/campaigns', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
      }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['campaigns'] }),
  });
}
