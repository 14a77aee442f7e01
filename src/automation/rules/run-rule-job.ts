import type { JobFollowUp, JobHandler } from '../../store/index.ts';
import { RUN_QUEUE, type AutomationDeps } from './automation-deps.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { loadRule } from './load-rule.ts';
import { loadWrite } from './load-write.ts';
import { runKey, type Rule, type RuleEvent } from './rule-model.ts';
import { findRun, saveRun } from './run-log.ts';
import type { RuleRun } from './run-record.ts';
import { performStep, resumeWait, type StepInput } from './perform-step.ts';

/** A run on the queue: which rule version, on which write. */
export interface RunPayload {
  rule: { id: string; version: string };
  event: RuleEvent;
}

/**
 * Runs one rule version on one write (DESIGN rule 3, off the write path). The run record is
 * the ledger: an event delivered again finds its run and continues where it stopped, and
 * every effect is keyed, so each action happens once. A failing rule is recorded with its
 * reason and ends there: it never fails the job (which would retry it forever) or other rules.
 */
export function runRuleJobs(deps: AutomationDeps): JobHandler {
  return {
    queue: RUN_QUEUE,
    concurrency: 2,
    handle: (job) => runRule(deps, job.payload as RunPayload),
  };
}

export async function runRule(deps: AutomationDeps, payload: RunPayload): Promise<void | JobFollowUp> {
  const rule = await loadRule(deps.repository, payload.rule);
  const key = runKey(rule, payload.event);
  const existing = await findRun(deps.repository, key);
  if (existing && existing.status !== 'in-progress') return;
  const scope = await loadWrite(deps.repository, payload.event);
  if (existing) return continueRun(deps, { rule, run: existing, scope });
  const run = newRun({ rule, key, event: payload.event, at: deps.clock.now().toISOString() });
  const stopped = firstStop(rule, scope);
  if (stopped) return void (await saveRun(deps.repository, { ...run, ...stopped }));
  return continueRun(deps, { rule, run, scope });
}

/** The actions not yet done, in order, each recorded as it goes; a wait puts the run back on the queue. */
async function continueRun(
  deps: AutomationDeps,
  input: Omit<StepInput, 'index'>,
): Promise<void | JobFollowUp> {
  const { rule, scope } = input;
  let run = input.run;
  if (run.actions.at(-1)?.outcome === 'waiting') {
    const resumed = await resumeWait(deps, input).catch((error: Error) => ({
      run: { ...run, status: 'failure' as const, reason: `wait failed: ${error.message}` },
      wakeAt: undefined,
    }));
    if (resumed.wakeAt) return { runAt: resumed.wakeAt };
    run = await saveRun(deps.repository, resumed.run);
  }
  for (let index = run.actions.length; run.status === 'in-progress'; index++) {
    if (index === rule.actions.length)
      return void (await saveRun(deps.repository, { ...run, status: 'success' }));
    const step = await performStep(deps, { rule, run, index, scope });
    run = await saveRun(deps.repository, step.run);
    if (step.wakeAt) return { runAt: step.wakeAt };
  }
}

function newRun(args: { rule: Rule; key: string; event: RuleEvent; at: string }): RuleRun {
  const { rule, key, event, at } = args;
  return {
    key,
    rule: { id: rule.id, version: rule.version, title: rule.title },
    event: `${event.resourceType}/${event.id}/_history/${event.versionId}`,
    ...(event.patient ? { patient: event.patient } : {}),
    status: 'in-progress',
    actions: [],
    at,
  };
}

/** Why the rule does not act on this write, as a finished run; undefined when it acts. */
function firstStop(rule: Rule, scope: StepInput['scope']): Partial<RuleRun> | undefined {
  try {
    const evaluation = evaluateRule(rule, scope);
    if (evaluation.matched) return undefined;
    return { status: 'success', reason: evaluation.triggered ? evaluation.stoppedBy : 'not triggered' };
  } catch (error) {
    return { status: 'failure', reason: `rule failed: ${(error as Error).message}` };
  }
}
