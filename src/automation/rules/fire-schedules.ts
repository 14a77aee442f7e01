import { scheduleKeyedJob } from '../../store/index.ts';
import { OCCURRENCE_QUEUE, type AutomationDeps } from './automation-deps.ts';
import type { RuleCache } from './active-rules.ts';
import { occurrenceKey, scheduleOf, type Rule } from './rule-model.ts';
import { findRun } from './run-log.ts';
import { latestOccurrence, nextOccurrences } from './rule-schedule.ts';
import type { OccurrencePayload } from './run-occurrence.ts';

/**
 * What a ticker remembers between ticks: per rule version, until when nothing new is owed (the
 * occurrence after the one it saw queued or done), so a tick costs neither a query nor a walk
 * of the RRULE until then. Losing it (a restart) costs one lookup per rule.
 */
export type TickMemory = Map<string, number>;

/**
 * One tick of the rules' clock (the worker calls it every few seconds, with the injected clock):
 * each active rule with a schedule owes the latest occurrence at or before now — and only that
 * one. An occurrence missed while no worker ran (a restart, an outage) is therefore run once
 * when the ticks resume, however many came due meanwhile; older ones are not run at all.
 * Nothing before the rule version's own time is owed (activating a rule does not fire the
 * occurrence that just passed). The occurrence goes on the durable queue under its key, and
 * its record is checked first, so several workers ticking side by side, or a tick after a
 * restart, run it once.
 */
export async function fireDueSchedules(
  deps: AutomationDeps,
  { cache, memory }: { cache: RuleCache; memory: TickMemory },
): Promise<number> {
  const { rules } = await cache.get();
  const now = deps.clock.now();
  let queued = 0;
  for (const rule of rules) {
    const schedule = scheduleOf(rule);
    const remembered = `${rule.id}/${rule.version}`;
    if (!schedule || (memory.get(remembered) ?? 0) > now.getTime()) continue;
    const zoned = { rrule: schedule.rrule, zone: deps.timeZone ?? 'UTC' };
    const due = latestOccurrence(zoned, now);
    if (due && !(rule.since && due.getTime() < Date.parse(rule.since)))
      queued += await queueOccurrence(deps, { rule, occurrence: due.toISOString() });
    const [next] = nextOccurrences(zoned, { after: now, count: 1 });
    memory.set(remembered, next?.getTime() ?? Number.POSITIVE_INFINITY);
  }
  return queued;
}

/** The occurrence on the queue under its key, unless its record says it ran; 1 when queued. */
async function queueOccurrence(
  deps: AutomationDeps,
  { rule, occurrence }: { rule: Rule; occurrence: string },
): Promise<number> {
  const key = occurrenceKey(rule.id, occurrence);
  if (await findRun(deps.repository, key)) return 0;
  const payload: OccurrencePayload = { rule: { id: rule.id, version: rule.version }, occurrence };
  // Due now by the database's clock: the tick's clock already found it due.
  await scheduleKeyedJob(deps.db, { queue: OCCURRENCE_QUEUE, key, payload });
  return 1;
}
