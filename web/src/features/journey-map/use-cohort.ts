import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';

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

export interface Cohort {
  journey: string;
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

const DAY = 86_400_000;

/** The cohort of a journey; `days`: only episodes started in the last so many days. */
export function useCohort(journey: string | undefined, days: number | undefined) {
  return useQuery({
    queryKey: ['cohort', journey, days],
    enabled: !!journey,
    queryFn: () => {
      const from = days ? new Date(Date.now() - days * DAY).toISOString().slice(0, 10) : undefined;
      const query = new URLSearchParams(from ? { from } : {});
      return api<Cohort>(`/api/journeys/${encodeURIComponent(journey!)}/cohort?${query}`);
    },
    placeholderData: (previous) => previous,
  });
}
