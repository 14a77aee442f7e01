import { ThroughlineError } from '../../kernel/errors.ts';
import { dayMs } from './kpi-model.ts';

export type Period = 'week' | 'month';

/** One week (Monday to Sunday) or calendar month, in UTC: its key is its first day (`2026-11-23`) or month (`2026-11`). */
export interface Bucket {
  key: string;
  start: string;
  /** Exclusive. */
  end: string;
}

export interface KpiWindow {
  period: Period;
  from: string;
  to: string;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const maxBuckets = 160;
const isoDate = (time: number) => new Date(time).toISOString().slice(0, 10);

/** `period`, `from`, `to` of a KPI request, checked (400 naming the parameter); defaults: the last 12 periods to today. */
export function parseWindow(query: Record<string, string | undefined>, now: Date): KpiWindow {
  const period = query.period ?? 'month';
  if (period !== 'week' && period !== 'month')
    throw new ThroughlineError('INVALID_REQUEST', 'period must be week or month', { expression: 'period' });
  const to = dateParam(query, 'to') ?? isoDate(now.getTime());
  const back = period === 'month' ? 365 : 83;
  const from = dateParam(query, 'from') ?? isoDate(Date.parse(to) - back * dayMs);
  if (from > to)
    throw new ThroughlineError('INVALID_REQUEST', 'from must not be after to', { expression: 'from' });
  const window = { period, from, to } as KpiWindow;
  if (bucketsOf(window).length > maxBuckets)
    throw new ThroughlineError('INVALID_REQUEST', `At most ${maxBuckets} periods at once`, {
      expression: 'from',
    });
  return window;
}

function dateParam(query: Record<string, string | undefined>, name: 'from' | 'to'): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (!datePattern.test(value) || Number.isNaN(Date.parse(value)))
    throw new ThroughlineError('INVALID_REQUEST', `${name} must be a date (YYYY-MM-DD)`, {
      expression: name,
    });
  return value;
}

/** The window of one bucket (`period`, `bucket` = its key), for a drill-down. */
export function bucketWindow(query: Record<string, string | undefined>, now: Date): KpiWindow {
  const { bucket } = query;
  if (!bucket || !/^\d{4}-\d{2}(-\d{2})?$/.test(bucket))
    throw new ThroughlineError(
      'INVALID_REQUEST',
      "bucket must be a month (2026-11) or a week's Monday (2026-11-23)",
      {
        expression: 'bucket',
      },
    );
  const day = bucket.length === 7 ? `${bucket}-01` : bucket;
  return parseWindow({ period: query.period, from: day, to: day }, now);
}

/** The bucket a date falls in. */
export function bucketOf(at: string, period: Period): Bucket {
  const date = new Date(Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at));
  if (period === 'month') {
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    return { key: isoDate(start).slice(0, 7), start: isoDate(start), end: isoDate(end) };
  }
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const start = day - ((date.getUTCDay() + 6) % 7) * dayMs;
  return { key: isoDate(start), start: isoDate(start), end: isoDate(start + 7 * dayMs) };
}

/** Every bucket that overlaps from..to (inclusive days). */
export function bucketsOf(window: KpiWindow): Bucket[] {
  const buckets: Bucket[] = [];
  for (let bucket = bucketOf(window.from, window.period); bucket.start <= window.to;) {
    buckets.push(bucket);
    bucket = bucketOf(bucket.end, window.period);
    if (buckets.length > maxBuckets) break;
  }
  return buckets;
}
