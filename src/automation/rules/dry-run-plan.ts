import type { AutomationDeps } from './automation-deps.ts';
import { evaluateRule, planAction, type PlannedAction } from './evaluate-rule.ts';
import { eventKey, type Rule, type RuleEvent } from './rule-model.ts';
import { isRuleTrue, type RuleScope } from './rule-fhirpath.ts';
import { stepsOf, type Side } from './rule-steps.ts';

/** One step as the dry run lists it: its values, and after a wait, a branch or a consent check, a note. */
export type DryRunAction = PlannedAction & { step?: string; branch?: Side; after?: string; note?: string };

/** One write (or cohort member) the rule would have acted on, or what stopped it. */
export interface DryRunItem {
  event: string;
  patient?: string;
  /** What it would do now, in order; after a wait, the rest is listed with `after`. */
  actions: DryRunAction[];
  stoppedBy?: string;
}

type Scope = RuleScope & { event: RuleEvent };

/** The rule judged on one write without acting: undefined when not triggered at all. */
export async function dryRunEvent(
  deps: AutomationDeps,
  { rule, scope }: { rule: Rule; scope: Scope },
): Promise<DryRunItem | undefined> {
  const { event } = scope;
  const item: DryRunItem = {
    event: eventKey(event),
    ...(event.patient ? { patient: event.patient } : {}),
    actions: [],
  };
  try {
    const evaluation = evaluateRule(rule, scope);
    if (!evaluation.triggered) return undefined;
    if (!evaluation.matched) return { ...item, stoppedBy: evaluation.stoppedBy };
    item.actions = await planSteps(deps, { rule, scope });
    return item;
  } catch (error) {
    return { ...item, stoppedBy: `rule failed: ${(error as Error).message}` };
  }
}

/**
 * The steps the run would take, each branch decided on this write as the live run would
 * decide it (its side and why), with the values each action would carry.
 */
async function planSteps(
  deps: AutomationDeps,
  { rule, scope }: { rule: Rule; scope: Scope },
): Promise<DryRunAction[]> {
  const decided = new Map<number, Side>();
  const planned: DryRunAction[] = [];
  let after: string | undefined;
  for (let index = 0; ; index++) {
    const step = stepsOf(rule.actions, (position) => decided.get(position))[index];
    if (!step) return planned;
    const where = {
      ...(step.address === String(index) ? {} : { step: step.address }),
      ...(after ? { after } : {}),
    };
    if (step.action.branch) {
      const side: Side = isRuleTrue(step.action.branch.condition, scope) ? 'then' : 'else';
      decided.set(index, side);
      const note = `${side}: ${step.action.branch.condition} is ${side === 'then' ? 'true' : 'not true'}`;
      planned.push({ index, type: 'branch', values: {}, branch: side, note, ...where });
      continue;
    }
    const action = planAction(step.action, index, scope);
    planned.push({
      ...action,
      ...where,
      ...(await consentNote(deps, { planned: action, event: scope.event })),
    });
    if (action.type === 'wait') after = waitNote(step.action);
  }
}

function waitNote(action: Rule['actions'][number]): string {
  const hours = Math.round((action.waitMs ?? 0) / 3_600_000);
  return `a wait of ${hours} h${action.stopWhen ? `, unless ${action.stopWhen}` : ''}`;
}

/** Engagement's word on consent for a send (the CommunicationRequest is made either way; delivery asks again). */
async function consentNote(
  deps: AutomationDeps,
  { planned, event }: { planned: PlannedAction; event: RuleEvent },
): Promise<{ note?: string }> {
  if (planned.type !== 'send' || !event.patient) return {};
  if (!deps.consentFor) return { note: 'consent: not known to the dry run' };
  const verdict = await deps.consentFor(event.patient, String(planned.values.purpose));
  return verdict.permitted ? {} : { note: `consent: ${verdict.reason} (engagement will not send)` };
}
