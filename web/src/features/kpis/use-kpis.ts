import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/http.ts';

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

export function useKpis(period: Period) {
  return useQuery({
    queryKey: ['kpis', period],
    queryFn: () =>
      api<{ period: Period; from: string; to: string; generatedAt: string; kpis: Kpi[] }>(
        `/api/analytics/kpis?period=${period}`,
      ),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
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
