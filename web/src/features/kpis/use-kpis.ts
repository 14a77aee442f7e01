import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';
import { formatDate } from '../../shared/fhir/format.ts';
import type { Bundle, Resource } from '../../shared/fhir/types.ts';
import type { JourneyChoice } from './group-names.ts';

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

/**
 * A bucket's key as a manager reads it: a month (`2026-12`) as `Dec 2026`, a week's Monday
 * (`2026-11-30`) as `week of 30 Nov 2026`. Read as local days, so the month does not slip back
 * one west of UTC.
 */
export function bucketLabel(key: string | undefined): string {
  if (!key) return 'no data';
  if (/^\d{4}-\d{2}$/.test(key)) return monthFormat.format(new Date(`${key}-01T00:00:00`));
  return /^\d{4}-\d{2}-\d{2}$/.test(key) ? `week of ${formatDate(`${key}T00:00:00`)}` : key;
}

/** A window's day (`2026-12-06`) in words, read as a local day. */
export const dayLabel = (day: string) => formatDate(`${day}T00:00:00`);

// `GET /api/analytics/kpis` (src/analytics/README.md, "KPIs").
export interface KpiFigure {
  value: number | null;
  numerator: number;
  denominator: number | null;
}

export interface KpiBucket extends KpiFigure {
  bucket: string;
  start: string;
  end: string;
  groups?: Record<string, KpiFigure>;
  patients?: string;
}

export interface Kpi {
  id: string;
  title: string;
  kind: 'rate' | 'count' | 'median';
  buckets: KpiBucket[];
}

export type Period = 'month' | 'week';

/**
 * Where and how (a Location, a Practitioner id, an outreach channel) and who (a journey and a
 * stage of it, a cohort: a Group id) the figures are about; the API's parameters of the same names.
 */
export interface KpiFilter {
  location?: string;
  practitioner?: string;
  channel?: string;
  journey?: string;
  stage?: string;
  cohort?: string;
}

export function useKpis(period: Period, filter: KpiFilter = {}) {
  const query = new URLSearchParams({ period });
  for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
  return useQuery({
    queryKey: ['kpis', period, filter],
    queryFn: () =>
      api<{ period: Period; from: string; to: string; generatedAt: string; kpis: Kpi[] }>(
        `/api/analytics/kpis?${query}`,
      ),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** The journeys and their stages (the journey filter's choices). */
export function useJourneyChoices() {
  return useQuery({
    queryKey: ['journeys'],
    staleTime: 5 * 60_000,
    queryFn: () => api<JourneyChoice[]>('/api/journeys'),
  });
}

interface Group extends Resource {
  name?: string;
  quantity?: number;
}

/** The saved cohorts (FHIR Groups the caller may read), by name. */
export function useCohortChoices() {
  return useQuery({
    queryKey: ['kpi-cohorts'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const bundle = await api<Bundle<Group>>('/fhir/Group?_count=100');
      return (bundle.entry ?? []).flatMap((entry) =>
        entry.resource?.id
          ? [{ value: entry.resource.id, label: entry.resource.name ?? entry.resource.id }]
          : [],
      );
    },
  });
}

/** A figure in words: a rate as a percentage, a median in days, a count as it is. */
export function formatFigure(kind: Kpi['kind'], value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'rate') return `${Math.round(value * 1000) / 10}%`;
  if (kind === 'median') return `${Math.round(value * 10) / 10} d`;
  return String(value);
}

/**
 * The mean overall score of a bucket of `satisfaction-score`, whose groups are the scores 1–5
 * (the distribution): Σ score × answers / answers; undefined for other KPIs or no answers.
 */
export function meanScore(kpi: Kpi, bucket: KpiBucket | undefined): number | undefined {
  if (kpi.id !== 'satisfaction-score' || !bucket?.groups) return undefined;
  const scored = Object.entries(bucket.groups).map(([score, figure]) => [
    Number(score),
    figure.denominator ?? 0,
  ]);
  const answers = scored.reduce((sum, [, n]) => sum + n!, 0);
  return answers === 0 ? undefined : scored.reduce((sum, [score, n]) => sum + score! * n!, 0) / answers;
}
