import type { PlanDefinition } from '@medplum/fhirtypes';
import type { AutomationDeps } from './automation-deps.ts';
import { historyEvents } from './history-events.ts';
import { loadWrite } from './load-write.ts';
import { parseRule } from './parse-rule.ts';
import { scheduleOf, type Rule } from './rule-model.ts';
import { ruleHash } from './rule-hash.ts';
import { recordDryRun } from './dry-run-review.ts';
import { dryRunEvent, type DryRunItem } from './dry-run-plan.ts';
import { localTime, nextOccurrences } from './rule-schedule.ts';
import { memberEvent, selectCohort } from './select-cohort.ts';
import { dryRunExtracts } from './dry-run-extract.ts';

export type { DryRunItem, DryRunAction } from './dry-run-plan.ts';

export interface DryRunReport {
  rule: { id?: string; hash: string; title: string };
  since: string;
  eventsExamined: number;
  /**
   * A scheduled rule: its next occurrences (instant and clinic time); the cohort is judged as of
   * now (an extract rule: `cohortSize` is the rows its extracts would write now).
   */
  schedule?: { zone: string; next: { at: string; local: string }[]; cohortSize: number };
  wouldAct: DryRunItem[];
  stopped: DryRunItem[];
}

/** How many of a schedule's next occurrences the dry run lists. */
const NEXT_OCCURRENCES = 5;

/**
 * The rule (new or changed) run without acting: against the writes of the last `days` days
 * (its data triggers), and for a schedule, against its cohort as it is now, for the next
 * occurrence — for whom it would do what, and what stopped it (a condition, a failed
 * expression, consent, a wait, the side a branch takes). Looking at it is recorded: activation asks for it.
 */
export async function dryRunRule(
  deps: AutomationDeps,
  request: { plan: PlanDefinition; days: number; limit?: number },
): Promise<DryRunReport> {
  const rule = { ...parseRule(request.plan), version: request.plan.meta?.versionId ?? 'draft' };
  const since = new Date(deps.clock.now().getTime() - request.days * 86_400_000).toISOString();
  const report: DryRunReport = {
    rule: {
      ...(request.plan.id ? { id: request.plan.id } : {}),
      hash: ruleHash(request.plan),
      title: rule.title,
    },
    since,
    eventsExamined: 0,
    wouldAct: [],
    stopped: [],
  };
  const add = (item: DryRunItem | undefined) =>
    item && (item.stoppedBy ? report.stopped : report.wouldAct).push(item);
  const limit = request.limit ?? 5000;
  for (const resourceType of dataTriggerTypes(rule))
    for (const event of await historyEvents(deps.repository, { resourceType, since, limit })) {
      report.eventsExamined++;
      add(await dryRunEvent(deps, { rule, scope: await loadWrite(deps.repository, event) }));
    }
  if (scheduleOf(rule)) await dryRunSchedule(deps, { rule, report, add });
  const summary = `${report.wouldAct.length} would act, ${report.stopped.length} stopped, of ${report.eventsExamined} writes since ${since}`;
  await recordDryRun(deps.repository, {
    hash: report.rule.hash,
    rule: request.plan.id ? `PlanDefinition/${request.plan.id}` : undefined,
    summary,
    at: deps.clock.now().toISOString(),
  });
  return report;
}

function dataTriggerTypes(rule: Rule): string[] {
  return [...new Set(rule.triggers.filter((t) => !t.schedule).map((t) => t.resourceType))];
}

/** The next occurrences, and what the first of them would do to the cohort as it is now. */
async function dryRunSchedule(
  deps: AutomationDeps,
  work: { rule: Rule; report: DryRunReport; add: (item: DryRunItem | undefined) => unknown },
): Promise<void> {
  const schedule = scheduleOf(work.rule)!;
  const zone = deps.timeZone ?? 'UTC';
  const now = deps.clock.now();
  const next = nextOccurrences({ rrule: schedule.rrule, zone }, { after: now, count: NEXT_OCCURRENCES });
  const occurrence = (next[0] ?? now).toISOString();
  const listed = { zone, next: next.map((at) => ({ at: at.toISOString(), local: localTime(at, zone) })) };
  if (!schedule.cohort) {
    const { item, rows } = await dryRunExtracts(deps, { rule: work.rule, occurrence });
    work.report.schedule = { ...listed, cohortSize: rows };
    return void work.add(item);
  }
  const members = await selectCohort(deps.repository, schedule.cohort);
  work.report.schedule = { ...listed, cohortSize: members.length };
  for (const member of members) {
    work.report.eventsExamined++;
    const event = memberEvent(member, occurrence);
    work.add(await dryRunEvent(deps, { rule: work.rule, scope: { resource: member, event } }));
  }
}
