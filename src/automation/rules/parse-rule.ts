import type { PlanDefinition, PlanDefinitionAction, TriggerDefinition } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { Rule, RuleAction, Trigger } from './rule-model.ts';
import { ACTION_SYSTEM, ACTION_TYPES, NAMED_EVENTS, TRIGGER_TYPES, type ActionType } from './rule-profile.ts';
import { durationMs } from './rule-duration.ts';
import { checkedExpression, Issues, type At } from './parse-issues.ts';
import { parsePeriodic } from './parse-schedule.ts';
import { checkExtractRule, parseExtract } from './parse-extract.ts';

/**
 * The rule a PlanDefinition of the automation-rule profile says, or a 400 naming every
 * problem with its path: a rule that cannot run is refused when written, not when it fires.
 */
export function parseRule(plan: PlanDefinition): Rule {
  const issues = new Issues();
  const root = plan.action?.[0];
  if (plan.resourceType !== 'PlanDefinition') issues.add('resourceType', 'a rule is a PlanDefinition');
  if (!root || (plan.action?.length ?? 0) !== 1)
    issues.add('PlanDefinition.action', 'a rule has exactly one top-level action (the rule)');
  const base = 'PlanDefinition.action[0]';
  const triggers = parseTriggers(root, { path: base, issues });
  const type = triggers[0]?.resourceType ?? 'Resource';
  const conditions = (root?.condition ?? []).map((condition, i) =>
    checkedExpression(condition.expression?.expression, {
      path: `${base}.condition[${i}].expression.expression`,
      issues,
      type,
    }),
  );
  const actions = (root?.action ?? []).map((a, i) =>
    parseAction(a, { path: `${base}.action[${i}]`, issues, type }),
  );
  if (actions.length === 0) issues.add(`${base}.action`, 'a rule needs at least one action');
  checkExtractRule({ triggers, conditions, actions }, { path: base, issues });
  if (issues.list.length > 0)
    throw new ThroughlineError('INVALID_RESOURCE', issues.list.map((i) => i.message).join('; '), {
      issues: issues.list,
    });
  return {
    id: plan.id ?? '',
    version: plan.meta?.versionId ?? '',
    title: plan.title ?? plan.name ?? plan.id ?? 'rule',
    status: plan.status,
    ...(plan.meta?.lastUpdated ? { since: plan.meta.lastUpdated } : {}),
    triggers,
    conditions: conditions.filter((c): c is string => c !== undefined),
    actions,
  };
}

/** The rule's triggers: at least one, at most one periodic. */
function parseTriggers(root: PlanDefinitionAction | undefined, at: At): Trigger[] {
  // An extract rule's occurrences run its own search: its periodic trigger names no cohort.
  const cohortOptional = (root?.action ?? []).some((a) => codeOf(a) === 'extract');
  const triggers = (root?.trigger ?? []).map((t, i) =>
    parseTrigger(t, { at: { ...at, path: `${at.path}.trigger[${i}]` }, cohortOptional }),
  );
  if (triggers.length === 0) at.issues.add(`${at.path}.trigger`, 'a rule needs at least one trigger');
  if (triggers.filter((t) => t.on.includes('scheduled')).length > 1)
    at.issues.add(`${at.path}.trigger`, 'a rule has at most one periodic trigger');
  return triggers;
}

function parseTrigger(
  trigger: TriggerDefinition,
  { at, cohortOptional }: { at: At; cohortOptional: boolean },
): Trigger {
  if (trigger.type === 'named-event') return parseNamedEvent(trigger, at);
  if (trigger.type === 'periodic') return parsePeriodic(trigger, at, { cohortOptional });
  const on = TRIGGER_TYPES[trigger.type];
  if (!on)
    at.issues.add(
      `${at.path}.type`,
      `trigger type must be one of ${[...Object.keys(TRIGGER_TYPES), 'named-event', 'periodic'].join(', ')}`,
    );
  const resourceType = trigger.data?.[0]?.type;
  if (!resourceType || !/^[A-Z][A-Za-z]+$/.test(resourceType))
    at.issues.add(`${at.path}.data[0].type`, 'a trigger names the resource type it watches');
  const expression = trigger.condition
    ? checkedExpression(trigger.condition.expression, {
        ...at,
        path: `${at.path}.condition.expression`,
        type: resourceType,
      })
    : undefined;
  return { resourceType: resourceType ?? '', on: on ?? [], ...(expression ? { expression } : {}) };
}

/** A named event (`NAMED_EVENTS`): its write, its own test, and the trigger's condition on top. */
function parseNamedEvent(trigger: TriggerDefinition, at: At): Trigger {
  const named = NAMED_EVENTS[trigger.name ?? ''];
  if (!named) {
    at.issues.add(
      `${at.path}.name`,
      `a named-event trigger is one of ${Object.keys(NAMED_EVENTS).join(', ')}`,
    );
    return { resourceType: '', on: [] };
  }
  const own = trigger.condition
    ? checkedExpression(trigger.condition.expression, {
        ...at,
        path: `${at.path}.condition.expression`,
        type: named.resourceType,
      })
    : undefined;
  const expression = own ? `(${named.expression}) and (${own})` : named.expression;
  return { resourceType: named.resourceType, on: named.on, expression };
}

function codeOf(action: PlanDefinitionAction): string | undefined {
  return action.code?.[0]?.coding?.find((c) => c.system === ACTION_SYSTEM)?.code;
}

function parseAction(action: PlanDefinitionAction, at: At): RuleAction {
  const code = codeOf(action);
  if (!ACTION_TYPES.includes(code as ActionType))
    at.issues.add(
      `${at.path}.code`,
      `an action's code (${ACTION_SYSTEM}) is one of ${ACTION_TYPES.join(', ')}`,
    );
  const values: Record<string, string> = {};
  (action.dynamicValue ?? []).forEach((dynamic, i) => {
    const path = `${at.path}.dynamicValue[${i}]`;
    if (!dynamic.path || !/^[a-zA-Z][\w.]*$/.test(dynamic.path))
      at.issues.add(`${path}.path`, 'a dynamicValue names an element');
    const expression = checkedExpression(dynamic.expression?.expression, {
      ...at,
      path: `${path}.expression.expression`,
    });
    if (dynamic.path && expression) values[dynamic.path] = expression;
  });
  const parsed: RuleAction = {
    type: code as ActionType,
    ...(action.title ? { title: action.title } : {}),
    values,
  };
  if (code === 'wait') addWait(parsed, { action, at });
  if (code === 'branch') addBranch(parsed, { action, at });
  if (code === 'extract') {
    const extract = parseExtract(action, at);
    if (extract) parsed.extract = extract;
  }
  checkRequired(parsed, at);
  return parsed;
}

/**
 * A branch: one applicability condition; `action[0]` holds the steps when it is true, the
 * optional `action[1]` the steps when it is not (each side a list of actions, branches included).
 */
function addBranch(parsed: RuleAction, { action, at }: { action: PlanDefinitionAction; at: At }): void {
  const conditions = action.condition ?? [];
  if (conditions.length !== 1 || conditions[0]?.kind !== 'applicability')
    at.issues.add(`${at.path}.condition`, 'a branch has exactly one applicability condition');
  const condition = checkedExpression(conditions[0]?.expression?.expression, {
    ...at,
    path: `${at.path}.condition[0].expression.expression`,
  });
  const sides = action.action ?? [];
  if (sides.length < 1 || sides.length > 2)
    at.issues.add(`${at.path}.action`, 'a branch has one side (then) or two (then, else)');
  const stepsOf = (side: number) =>
    (sides[side]?.action ?? []).map((each, i) =>
      parseAction(each, { ...at, path: `${at.path}.action[${side}].action[${i}]` }),
    );
  if (condition) parsed.branch = { condition, then: stepsOf(0), else: stepsOf(1) };
}

function addWait(parsed: RuleAction, { action, at }: { action: PlanDefinitionAction; at: At }): void {
  const ms = durationMs(action.timingDuration);
  if (ms === undefined)
    at.issues.add(
      `${at.path}.timingDuration`,
      'a wait needs a timingDuration (value and unit: min, h, d, wk)',
    );
  else parsed.waitMs = ms;
  const stop = action.condition?.find((c) => c.kind === 'stop');
  const expression = stop
    ? checkedExpression(stop.expression?.expression, { ...at, path: `${at.path}.condition` })
    : undefined;
  if (expression) parsed.stopWhen = expression;
}

const REQUIRED: Partial<Record<ActionType, string[]>> = {
  send: ['purpose'],
  task: ['description'],
  'hl7-send': ['message'],
  webhook: ['url'],
};

/** The HL7 v2 messages a rule can send (the outbound builders'); a literal is checked when written. */
export const RULE_HL7_MESSAGES = ['ADT^A08', 'ADT^A31', 'ORU^R01'];

function checkRequired(action: RuleAction, at: At): void {
  for (const field of REQUIRED[action.type] ?? [])
    if (!action.values[field])
      at.issues.add(`${at.path}.dynamicValue`, `a ${action.type} action needs a dynamicValue for ${field}`);
  if (action.type === 'update' && Object.keys(action.values).length === 0)
    at.issues.add(`${at.path}.dynamicValue`, 'an update action sets at least one element');
  const literal = /^'([^']*)'$/.exec(action.values.message ?? '')?.[1];
  if (action.type === 'hl7-send' && literal !== undefined && !RULE_HL7_MESSAGES.includes(literal))
    at.issues.add(`${at.path}.dynamicValue`, `an hl7-send message is one of ${RULE_HL7_MESSAGES.join(', ')}`);
}
