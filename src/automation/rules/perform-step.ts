import type { Resource } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { AutomationDeps } from './automation-deps.ts';
import { planAction } from './evaluate-rule.ts';
import { ActionDeferred, PERFORMERS } from './perform-action.ts';
import type { Rule, RuleEvent } from './rule-model.ts';
import { isRuleTrue, type RuleScope } from './rule-fhirpath.ts';
import type { ActionOutcome, RuleRun } from './run-record.ts';
import { stepsOf, type Step } from './rule-steps.ts';

export interface StepInput {
  rule: Rule;
  run: RuleRun;
  index: number;
  scope: RuleScope & { event: RuleEvent };
}

/** The step at a position of the run (branches followed as recorded); undefined past the last. */
export function stepAt(rule: Rule, run: RuleRun, index: number): Step | undefined {
  return stepsOf(rule.actions, (position) => run.actions[position]?.branch)[index];
}

/** The run after one action, and when to wake up if it waits (or try it again if it was deferred). */
export interface StepResult {
  run: RuleRun;
  wakeAt?: string;
  deferred?: ActionDeferred;
}

/** Carries out step `index` of the run once (its effect keyed by run key and index). */
export async function performStep(
  deps: AutomationDeps,
  input: StepInput & { step: Step },
): Promise<StepResult> {
  const { run, index, scope, step } = input;
  const at = deps.clock.now().toISOString();
  const where = step.address === String(index) ? {} : { step: step.address };
  const record = (outcome: Omit<ActionOutcome, 'index' | 'type' | 'at'>, status = run.status): RuleRun => ({
    ...run,
    status,
    actions: [...run.actions, { index, ...where, type: step.action.type, at, ...outcome }],
  });
  try {
    if (step.action.branch) return { run: record(decideBranch(step.action.branch, scope)) };
    const planned = planAction(step.action, index, scope);
    if (planned.type === 'wait') {
      const wakeAt = new Date(Date.parse(at) + (planned.waitMs ?? 0)).toISOString();
      return { run: record({ outcome: 'waiting', detail: `until ${wakeAt}` }), wakeAt };
    }
    if (planned.type === 'branch') throw new Error('a branch without its condition');
    if (planned.type === 'extract') throw new Error('an extract runs at its occurrence, not on a write');
    const target = {
      event: scope.event,
      patient: scope.event.patient,
      key: `${run.key}/${index}`,
      ...(run.labels ? { labels: run.labels } : {}),
    };
    const performed = await PERFORMERS[planned.type](deps, planned, target);
    return { run: record({ outcome: 'done', ...performed }) };
  } catch (error) {
    if (error instanceof ActionDeferred) return { run, deferred: error };
    const reason = `action ${index + 1} (${step.action.type}) failed: ${(error as Error).message}`;
    return { run: { ...record({ outcome: 'failed', detail: (error as Error).message }, 'failure'), reason } };
  }
}

/**
 * A run that waits: not yet due, it sleeps again; due, the wait's stop condition is asked of
 * the triggering resource as it is now (a gap closed, a reply came) — true ends the run.
 */
export async function resumeWait(deps: AutomationDeps, input: Omit<StepInput, 'index'>): Promise<StepResult> {
  const { rule, run, scope } = input;
  const waiting = run.actions[run.actions.length - 1]!;
  const wakeAt = waiting.detail?.replace('until ', '') ?? '';
  const now = deps.clock.now();
  if (Date.parse(wakeAt) > now.getTime()) return { run, wakeAt };
  const stopWhen = stepAt(rule, run, waiting.index)?.action.stopWhen;
  const current = await deps.repository
    .read<Resource>(scope.event.resourceType, scope.event.id)
    .catch(absentUnlessUnavailable);
  const stop = stopWhen
    ? isRuleTrue(stopWhen, { ...scope, resource: current, previous: scope.resource })
    : false;
  const done: ActionOutcome = { ...waiting, outcome: stop ? 'stopped' : 'done', at: now.toISOString() };
  if (stop) done.detail = `stopped: ${stopWhen}`;
  const actions = [...run.actions.slice(0, -1), done];
  return {
    run: {
      ...run,
      actions,
      status: stop ? 'success' : run.status,
      ...(stop ? { reason: `wait ended: ${stopWhen}` } : {}),
    },
  };
}

/** Which side a branch takes on this write, and why: its condition, true or not. */
function decideBranch(
  branch: NonNullable<Step['action']['branch']>,
  scope: RuleScope,
): Pick<ActionOutcome, 'outcome' | 'branch' | 'detail'> {
  const holds = isRuleTrue(branch.condition, scope);
  return {
    outcome: 'done',
    branch: holds ? 'then' : 'else',
    detail: `${holds ? 'then' : 'else'}: ${branch.condition} is ${holds ? 'true' : 'not true'}`,
  };
}
