/**
 * Half-open time intervals `[start, end)` in epoch milliseconds, and the set algebra
 * availability is made of: open hours ∩ location hours − holidays − bookings. Lists are kept
 * sorted and merged (`normalize`), so every operation is one linear sweep.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, with overlapping and touching intervals merged and empty ones dropped. */
export function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((each) => each.end > each.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const each of sorted) {
    const last = merged.at(-1);
    if (last && each.start <= last.end) last.end = Math.max(last.end, each.end);
    else merged.push({ ...each });
  }
  return merged;
}

export function union(a: Interval[], b: Interval[]): Interval[] {
  return normalize([...a, ...b]);
}

/** The parts of `a` that lie in `b`. */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const left = normalize(a);
  const right = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i]!.start, right[j]!.start);
    const end = Math.min(left[i]!.end, right[j]!.end);
    if (end > start) out.push({ start, end });
    if (left[i]!.end < right[j]!.end) i++;
    else j++;
  }
  return out;
}

/** The parts of `a` outside every interval of `b`. */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const cuts = normalize(b);
  const out: Interval[] = [];
  for (const each of normalize(a)) {
    let start = each.start;
    for (const cut of cuts) {
      if (cut.end <= start || cut.start >= each.end) continue;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
    }
    if (start < each.end) out.push({ start, end: each.end });
  }
  return out;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether `inner` lies wholly inside one interval of `outer` (a normalized list). */
export function within(inner: Interval, outer: Interval[]): boolean {
  return outer.some((each) => each.start <= inner.start && inner.end <= each.end);
}

export const MINUTE = 60_000;
