import type { Resource } from '@medplum/fhirtypes';
import type { JobHandler, KeyedJob } from '../../store/index.ts';
import { isThroughlineError } from '../../kernel/errors.ts';
import { OCCURRENCE_QUEUE, RUN_QUEUE, type AutomationDeps } from './automation-deps.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { loadRule } from './load-rule.ts';
import { occurrenceKey, runKey, scheduleOf, type Rule } from './rule-model.ts';
import { findRun, saveRun } from './run-log.ts';
import type { RuleRun } from './run-record.ts';
import type { RunPayload } from './run-rule-job.ts';
import { localTime } from './rule-schedule.ts';
import { MAX_COHORT, memberEvent, selectCohort } from './select-cohort.ts';
import { scheduleKeyedJobs } from '../../store/index.ts';
import { isExtractRule } from './parse-extract.ts';
import { runExtracts } from './run-extracts.ts';

/** An occurrence on the queue: which rule version, and the instant its schedule came due. */
export interface OccurrencePayload {
  rule: { id: string; version: string };
  occurrence: string;
}

/**
 * One occurrence of a rule's schedule, run once: the cohort is selected, each member is judged
 * by the trigger's and the rule's conditions, and every member the rule acts on gets its own
 * keyed run (`{rule}@{occurrence}/{Type}/{id}`, on the run queue like any other). The
 * occurrence's own record (key `{rule}@{occurrence}`) is written last and is the ledger: a
 * repeated job finds it and does nothing; a job that died before it selects again, and each
 * member's run key makes that harmless.
 */
export function runOccurrenceJobs(deps: AutomationDeps): JobHandler {
  return {
    queue: OCCURRENCE_QUEUE,
    handle: (job) => runOccurrence(deps, job.payload as OccurrencePayload),
  };
}

export async function runOccurrence(deps: AutomationDeps, payload: OccurrencePayload): Promise<void> {
  const key = occurrenceKey(payload.rule.id, payload.occurrence);
  if (await findRun(deps.repository, key)) return;
  const rule = await loadRule(deps.repository, payload.rule);
  const schedule = scheduleOf(rule);
  if (!schedule) return;
  const at = deps.clock.now().toISOString();
  const when = localTime(new Date(payload.occurrence), deps.timeZone ?? 'UTC');
  const record: Omit<RuleRun, 'status'> = {
    key,
    rule: { ...payload.rule, title: rule.title },
    event: `occurrence/${payload.occurrence}`,
    actions: [],
    at,
  };
  if (isExtractRule(rule) || !schedule.cohort)
    return runExtracts(deps, { rule, record, occurrence: payload.occurrence, when });
  let members;
  try {
    members = await selectCohort(deps.repository, schedule.cohort);
  } catch (error) {
    // A search the store refuses (4xx) will not pass on a retry: recorded, not retried.
    if (!isThroughlineError(error) || error.httpStatus >= 500) throw error;
    await saveRun(deps.repository, {
      ...record,
      status: 'failure',
      reason: `occurrence ${when}: cohort search failed: ${error.message}`,
    });
    return;
  }
  const runs = runsFor(rule, { members, occurrence: payload.occurrence });
  await scheduleKeyedJobs(deps.db, runs);
  const cut = members.length >= MAX_COHORT ? ` (cut at ${MAX_COHORT})` : '';
  const reason = `occurrence ${when}: ${members.length} selected${cut}, ${runs.length} to act on`;
  await saveRun(deps.repository, { ...record, status: 'success', reason });
}

/** The keyed runs of the members the rule acts on (or whose expression throws: a run to record as failed). */
function runsFor(
  rule: Rule,
  { members, occurrence }: { members: Resource[]; occurrence: string },
): KeyedJob[] {
  return members.flatMap((member) => {
    const event = memberEvent(member, occurrence);
    let acts: boolean;
    try {
      acts = evaluateRule(rule, { resource: member, event }).matched;
    } catch {
      acts = true;
    }
    if (!acts) return [];
    const payload: RunPayload = { rule: { id: rule.id, version: rule.version }, event };
    return [{ queue: RUN_QUEUE, key: runKey(rule, event), payload }];
  });
}
