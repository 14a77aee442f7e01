import type { JobFollowUp, JobHandler } from '../../store/index.ts';
import { RUN_QUEUE, type AutomationDeps } from './automation-deps.ts';
import { evaluateRule } from './evaluate-rule.ts';
import { loadRule } from './load-rule.ts';
import { loadWrite } from './load-write.ts';
import { runKey, type Rule, type RuleEvent } from './rule-model.ts';
import { findRun, saveRun } from './run-log.ts';
import { labelsOf, type RuleRun } from './run-record.ts';
import { performStep, resumeWait, stepAt, type StepInput } from './perform-step.ts';
import type { ActionDeferred } from './perform-action.ts';
import type { Step } from './rule-steps.ts';
import { prefetchRuns, type PrefetchedRun } from './prefetch-runs.ts';

/** A run on the queue: which rule version, on which write. */
export interface RunPayload {
  rule: { id: string; version: string };
  event: RuleEvent;
  /** How many times an action of this run was deferred (no ACK yet). */
  deferrals?: number;
}

/** Deferrals of one run before the deferred action is recorded as failed (backoff doubles each time). */
const MAX_DEFERRALS = 6;

/**
 * Runs one rule version on one write (DESIGN rule 3, off the write path). The run record is
 * the ledger: an event delivered again finds its run and continues where it stopped, and
 * every effect is keyed, so each action happens once. A failing rule is recorded with its
 * reason and ends there: it never fails the job (which would retry it forever) or other rules.
 */
export function runRuleJobs(deps: AutomationDeps): JobHandler {
  // The claimed set's run records and writes, read together (`prefetchRuns`), by job id.
  let prefetched = new Map<string, PrefetchedRun>();
  return {
    queue: RUN_QUEUE,
    concurrency: 2,
    async prepare(jobs) {
      prefetched = new Map();
      prefetched = await prefetchRuns(deps, jobs);
    },
    handle(job) {
      const ready = prefetched.get(job.id);
      prefetched.delete(job.id);
      return runRule(deps, job.payload as RunPayload, ready);
    },
  };
}

/** One run; `ready`: its record and write as read with the jobs claimed beside it (else read here). */
export async function runRule(
  deps: AutomationDeps,
  payload: RunPayload,
  ready?: PrefetchedRun,
): Promise<void | JobFollowUp> {
  const rule = await loadRule(deps.repository, payload.rule);
  const key = runKey(rule, payload.event);
  const existing = ready ? ready.run : await findRun(deps.repository, key);
  if (existing && existing.status !== 'in-progress') return;
  const scope = ready?.scope ?? (await loadWrite(deps.repository, payload.event));
  // A run recorded before runs carried labels takes them as it goes on.
  if (existing)
    return continueRun(
      deps,
      { rule, run: { ...existing, labels: existing.labels ?? labelsOf(scope) }, scope },
      payload,
    );
  const at = deps.clock.now().toISOString();
  const run = newRun({
    rule,
    key,
    event: payload.event,
    at,
    labels: labelsOf(scope),
  });
  const stopped = firstStop(rule, scope);
  if (stopped) return void (await saveRun(deps.repository, { ...run, ...stopped }));
  return continueRun(deps, { rule, run, scope }, payload);
}

/** The actions not yet done, in order; a wait puts the run back on the queue. */
async function continueRun(
  deps: AutomationDeps,
  input: Omit<StepInput, 'index'>,
  payload: RunPayload,
): Promise<void | JobFollowUp> {
  const { rule, scope } = input;
  let run = input.run;
  if (run.actions.at(-1)?.outcome === 'waiting') {
    const resumed = await resumeWait(deps, input).catch((error: Error) => ({
      run: { ...run, status: 'failure' as const, reason: `wait failed: ${error.message}` },
      wakeAt: undefined,
    }));
    if (resumed.wakeAt) return { runAt: resumed.wakeAt };
    run = resumed.run;
  }
  // Recorded when it ends, waits or is deferred, not after each action: every effect is keyed, so
  // a crash in between repeats actions without repeating their effects (one write per run, not n + 1).
  for (let index = run.actions.length; ; index++) {
    const next = stepAt(rule, run, index);
    if (run.status === 'in-progress' && !next) run = { ...run, status: 'success' };
    if (run.status !== 'in-progress' || !next) return void (await saveRun(deps.repository, run));
    const step = await performStep(deps, { rule, run, index, scope, step: next });
    if (step.deferred) return deferRun(deps, { step: next, run, index, deferred: step.deferred, payload });
    run = step.run;
    if (step.wakeAt) {
      await saveRun(deps.repository, run);
      return { runAt: step.wakeAt };
    }
  }
}

/**
 * An action that could not finish yet (no ACK): the run goes back on the queue with that action
 * next, backing off; after the last try the action is recorded as failed with the reason.
 */
async function deferRun(
  deps: AutomationDeps,
  work: { step: Step; run: RuleRun; index: number; deferred: ActionDeferred; payload: RunPayload },
): Promise<void | JobFollowUp> {
  const { step, run, index, deferred, payload } = work;
  const type = step.action.type;
  const where = step.address === String(index) ? {} : { step: step.address };
  const deferrals = (payload.deferrals ?? 0) + 1;
  const now = deps.clock.now();
  if (deferrals < MAX_DEFERRALS) {
    // The actions done so far are kept, so the run log shows where it waits.
    if (run.actions.length > 0) await saveRun(deps.repository, run);
    return {
      runAt: new Date(now.getTime() + deferred.retryInMs * 2 ** (deferrals - 1)).toISOString(),
      payload: { ...payload, deferrals },
    };
  }
  const detail = `${deferrals} tries: ${deferred.message}`;
  await saveRun(deps.repository, {
    ...run,
    status: 'failure',
    reason: `action ${index + 1} (${type}) failed: ${detail}`,
    actions: [...run.actions, { index, ...where, type, outcome: 'failed', detail, at: now.toISOString() }],
  });
}

function newRun(args: {
  rule: Rule;
  key: string;
  event: RuleEvent;
  at: string;
  labels?: RuleRun['labels'];
}): RuleRun {
  const { rule, key, event, at, labels } = args;
  return {
    key,
    rule: { id: rule.id, version: rule.version, title: rule.title },
    event: `${event.resourceType}/${event.id}/_history/${event.versionId}`,
    ...(event.patient ? { patient: event.patient } : {}),
    status: 'in-progress',
    actions: [],
    at,
    ...(labels ? { labels } : {}),
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
