import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import type { Bundle, Resource } from '../../shared/fhir/types.ts';

interface Organization extends Resource {
  name?: string;
}

export interface JourneyDefinition {
  id: string;
  title: string;
  stages: { code: string; display: string; slaDays?: number }[];
}

export interface StageFunnel {
  stage: string;
  display: string;
  reached: number;
  current: number;
  conversion: number;
  stalled: number;
  daysInStage: { median: number; p90: number };
}

export interface StageMember {
  patient: string;
  since: string;
  stalled: boolean;
}

export interface Cohort {
  journey: string;
  members?: StageMember[];
  patients: number;
  stages: StageFunnel[];
  painPoints: Record<string, number>;
  careGaps: {
    opened: number;
    open: number;
    closedByRecord: number;
    closedByStaff: number;
    closureRate: number;
  };
}

export function useJourneys() {
  return useQuery({ queryKey: ['journeys'], queryFn: () => api<JourneyDefinition[]>('/api/journeys') });
}

/** The catalog's signal rules, to name pain points by title; they change only with a release. */
export function useSignalRules() {
  return useQuery({
    queryKey: ['signal-rules'],
    staleTime: Infinity,
    queryFn: () => api<{ id: string; kind: string; title: string }[]>('/api/signal-rules'),
  });
}

const DAY = 86_400_000;

/** Which cohort: a journey, episodes started in the last `days`, patients preferring `channel`. */
export interface CohortFilter {
  journey: string | undefined;
  days?: number;
  channel?: string;
  /** `Organization/{id}` managing the patients' care. */
  clinic?: string;
}

function cohortUrl(filter: CohortFilter, stage?: string): string {
  const query = new URLSearchParams();
  if (filter.days) query.set('from', new Date(Date.now() - filter.days * DAY).toISOString().slice(0, 10));
  if (filter.channel) query.set('channel', filter.channel);
  if (filter.clinic) query.set('clinic', filter.clinic);
  if (stage) query.set('stage', stage);
  return `/api/journeys/${encodeURIComponent(filter.journey!)}/cohort?${query}`;
}

/** The cohort's funnel, time in stage, pain points and care-gap closure. */
export function useCohort(filter: CohortFilter) {
  return useQuery({
    queryKey: ['cohort', filter],
    enabled: !!filter.journey,
    queryFn: () => api<Cohort>(cohortUrl(filter)),
    placeholderData: (previous) => previous,
  });
}

/** The patients in one stage now (the funnel's click-through), the longest-waiting first. */
export function useStageMembers(filter: CohortFilter, stage: string | undefined) {
  return useQuery({
    queryKey: ['cohort', filter, stage],
    enabled: !!filter.journey && !!stage,
    queryFn: async () => (await api<Cohort>(cohortUrl(filter, stage))).members ?? [],
  });
}

/** The organizations a cohort can be limited to (the clinic filter), by name. */
export function useClinics() {
  return useQuery({
    queryKey: ['clinics'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const bundle = await api<Bundle<Organization>>('/fhir/Organization?_count=100&_sort=name');
      return (bundle.entry ?? []).flatMap((entry) =>
        entry.resource?.id
          ? [{ value: `Organization/${entry.resource.id}`, label: entry.resource.name ?? entry.resource.id }]
          : [],
      );
    },
  });
}
