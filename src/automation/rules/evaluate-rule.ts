import type { Rule, RuleAction, RuleEvent } from './rule-model.ts';
import { isRuleTrue, ruleValue, type RuleScope } from './rule-fhirpath.ts';

/** Whether a rule acts on one write, and if not, what stopped it. */
export type Evaluation =
  | { matched: false; triggered: false }
  | { matched: false; triggered: true; stoppedBy: string }
  | { matched: true; triggered: true };

/** Whether the write is one the rule's triggers watch (type, change, trigger expression). */
export function isTriggered(rule: Rule, scope: RuleScope & { event: RuleEvent }): boolean {
  return rule.triggers.some(
    (trigger) =>
      trigger.resourceType === scope.event.resourceType &&
      trigger.on.includes(scope.event.action) &&
      (!trigger.expression || isRuleTrue(trigger.expression, scope)),
  );
}

/**
 * Trigger, then conditions, in order; the first false condition is what stopped the rule.
 * Throws when an expression fails on this data (the caller records the rule as failed).
 */
export function evaluateRule(rule: Rule, scope: RuleScope & { event: RuleEvent }): Evaluation {
  if (!isTriggered(rule, scope)) return { matched: false, triggered: false };
  for (const condition of rule.conditions)
    if (!isRuleTrue(condition, scope))
      return { matched: false, triggered: true, stoppedBy: `condition false: ${condition}` };
  return { matched: true, triggered: true };
}

/** One action as it would be carried out: its values computed from the triggering write. */
export interface PlannedAction {
  index: number;
  type: RuleAction['type'];
  title?: string;
  values: Record<string, unknown>;
  waitMs?: number;
}

/** An action's values computed from the triggering write (a branch has none: its condition decides). */
export function planAction(action: RuleAction, index: number, scope: RuleScope): PlannedAction {
  const values = Object.fromEntries(
    Object.entries(action.values).map(([path, expression]) => [path, ruleValue(expression, scope)]),
  );
  return {
    index,
    type: action.type,
    ...(action.title ? { title: action.title } : {}),
    values,
    ...(action.waitMs ? { waitMs: action.waitMs } : {}),
  };
}
