import type { Task } from '@medplum/fhirtypes';
import { searchAll, type FhirRepository } from '../../store/index.ts';
import { REFERRAL_LOOP_SYSTEM, REFERRAL_STEP_SYSTEM } from '../engine/journey-codes.ts';

/** How the referral loops of a period went (CMS50-style: referrals sent → report back). */
export interface ReferralLoopReport {
  from?: string;
  to?: string;
  referrals: number;
  /** Report back received (the loop closed). */
  closed: number;
  /** Withdrawn referrals: left out of the closure rate's denominator. */
  withdrawn: number;
  closureRate: number | null;
  /** Open loops whose next step is past its SLA, now. */
  overdue: number;
  /** Median days from one step to the next, over the loops that made that step. */
  medianDays: { from: string; to: string; days: number | null; loops: number }[];
}

const TRANSITIONS: [string, string][] = [
  ['sent', 'booked'],
  ['booked', 'seen'],
  ['seen', 'report-received'],
  ['sent', 'report-received'],
];
const DAY = 86_400_000;

/**
 * The referral loop measure from the loop Tasks the journey engine keeps (sent in
 * [from, to)): read through the caller's store, so a role sees only the referrals it may.
 */
export async function referralLoopReport(
  repository: FhirRepository,
  query: { from?: string; to?: string; now: Date },
): Promise<ReferralLoopReport> {
  const params: [string, string][] = [['code', `${REFERRAL_LOOP_SYSTEM}|referral-loop`]];
  if (query.from) params.push(['authored-on', `ge${query.from}`]);
  if (query.to) params.push(['authored-on', `lt${query.to}`]);
  const loops = await searchAll<Task>(repository, { resourceType: 'Task', params });
  const withdrawn = loops.filter((task) => task.status === 'cancelled').length;
  const closed = loops.filter((task) => task.status === 'completed').length;
  const counted = loops.length - withdrawn;
  return {
    from: query.from,
    to: query.to,
    referrals: loops.length,
    closed,
    withdrawn,
    closureRate: counted > 0 ? closed / counted : null,
    overdue: loops.filter(
      (task) =>
        task.status === 'in-progress' &&
        Date.parse(task.restriction?.period?.end ?? '') < query.now.getTime(),
    ).length,
    medianDays: TRANSITIONS.map(([from, to]) => transition(loops, from, to)),
  };
}

function transition(loops: Task[], from: string, to: string): ReferralLoopReport['medianDays'][number] {
  const days = loops
    .map((task) => [stepTime(task, from), stepTime(task, to)])
    .filter(([start, end]) => start !== undefined && end !== undefined)
    .map(([start, end]) => (end! - start!) / DAY)
    .sort((a, b) => a - b);
  const middle = Math.floor(days.length / 2);
  const median =
    days.length === 0 ? null : days.length % 2 ? days[middle]! : (days[middle - 1]! + days[middle]!) / 2;
  return { from, to, days: median === null ? null : Math.round(median * 10) / 10, loops: days.length };
}

function stepTime(task: Task, step: string): number | undefined {
  const output = task.output?.find((entry) =>
    entry.type.coding?.some((coding) => coding.system === REFERRAL_STEP_SYSTEM && coding.code === step),
  );
  return output?.valueDateTime ? Date.parse(output.valueDateTime) : undefined;
}
