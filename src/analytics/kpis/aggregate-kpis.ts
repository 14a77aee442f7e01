import { bucketOf, bucketsOf, type KpiWindow } from './kpi-period.ts';
import type { Fact, KpiDefinition, KpiKind } from './kpi-model.ts';

/** A KPI figure: `value` is the rate (0–1), the count, or the median days; null when there is nothing to measure. */
export interface Figure {
  value: number | null;
  numerator: number;
  /** Rates only: what the numerator is a share of. */
  denominator: number | null;
}

export interface KpiBucket extends Figure {
  bucket: string;
  start: string;
  end: string;
  /** Breakdown (reminders by channel, follow-ups by kind). */
  groups?: Record<string, Figure>;
  /** The patients behind the figure (drill-down, access-checked). */
  patients: string;
}

export interface KpiResult extends KpiDefinition {
  buckets: KpiBucket[];
}

/**
 * What a figure is made of: how many facts, how many in the numerator, and the two middle
 * `days` (the same one twice when their count is odd; null when there are none).
 */
export interface FigureSums {
  members: number;
  inNumerator: number;
  middle: [number, number] | null;
}

export function figureOf(kind: KpiKind, facts: Fact[]): Figure {
  const sorted = facts.map((fact) => fact.days ?? 0).sort((a, b) => a - b);
  const n = sorted.length;
  const middle: FigureSums['middle'] =
    n === 0 ? null : [sorted[Math.floor((n - 1) / 2)]!, sorted[Math.floor(n / 2)]!];
  const inNumerator = facts.filter((fact) => fact.inNumerator).length;
  return figureOfSums(kind, { members: n, inNumerator, middle });
}

/** The figure of a KPI's sums: the rate (4 digits), the count, or the median days (1 digit). */
export function figureOfSums(kind: KpiKind, sums: FigureSums): Figure {
  const numerator = sums.inNumerator;
  if (kind === 'count') return { value: numerator, numerator, denominator: null };
  if (kind === 'median') {
    const value = sums.middle ? round((sums.middle[0] + sums.middle[1]) / 2, 1) : null;
    return { value, numerator, denominator: null };
  }
  const denominator = sums.members;
  return { value: denominator === 0 ? null : round(numerator / denominator, 4), numerator, denominator };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Every KPI per bucket of the window, with its breakdown and the drill-down link. */
export function aggregateKpis(definitions: KpiDefinition[], facts: Fact[], window: KpiWindow): KpiResult[] {
  const byKey = new Map<string, Fact[]>();
  for (const fact of facts) {
    const key = `${fact.kpi} ${bucketOf(fact.at, window.period).key}`;
    const list = byKey.get(key);
    if (list) list.push(fact);
    else byKey.set(key, [fact]);
  }
  const buckets = bucketsOf(window);
  return definitions.map((definition) => ({
    ...definition,
    buckets: buckets.map((bucket) => {
      const inBucket = byKey.get(`${definition.id} ${bucket.key}`) ?? [];
      const query = `period=${window.period}&bucket=${bucket.key}`;
      return {
        bucket: bucket.key,
        start: bucket.start,
        end: bucket.end,
        ...figureOf(definition.kind, inBucket),
        ...groupsOf(definition.kind, inBucket),
        patients: `/api/analytics/kpis/${definition.id}/patients?${query}`,
      };
    }),
  }));
}

function groupsOf(kind: KpiKind, facts: Fact[]): { groups?: Record<string, Figure> } {
  const names = [...new Set(facts.flatMap((fact) => (fact.group ? [fact.group] : [])))].sort();
  if (names.length === 0) return {};
  const groups = names.map((name) => [
    name,
    figureOf(
      kind,
      facts.filter((fact) => fact.group === name),
    ),
  ]);
  return { groups: Object.fromEntries(groups) as Record<string, Figure> };
}
