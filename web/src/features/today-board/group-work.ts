import type { TodayItem } from './use-today.ts';

type OpenWork = NonNullable<TodayItem['openWork']>[number];

/** One kind of open work for a patient: its title, its list, and how many items share it. */
export interface WorkGroup {
  title: string;
  worklist: string;
  /** The first item's Task id: a stable key. */
  task: string;
  count: number;
}

/**
 * The patient's open work, one entry per title in first-seen order. Two referrals without a
 * report read as the same badge twice, which looked like a display fault; one badge with a
 * count says what it is.
 */
export function groupWork(work: readonly OpenWork[]): WorkGroup[] {
  const groups = new Map<string, WorkGroup>();
  for (const each of work) {
    const key = `${each.worklist}\u0000${each.title}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { title: each.title, worklist: each.worklist, task: each.task, count: 1 });
  }
  return [...groups.values()];
}
