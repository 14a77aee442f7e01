import type { Resource } from '@medplum/fhirtypes';
import type { SignalRule } from '../definitions/definitions.ts';
import { evaluate, isTrue, type Variables } from './fhirpath.ts';
import { variablesWith, type RecordContext } from './record-context.ts';

/** A care gap, follow-up or pain point the record shows open now. */
export interface OpenSignal {
  rule: SignalRule;
  /** The resource it is about (a referral, a message, a result), for rules with a `focus`. */
  focus?: string;
}

/** Every rule's open signals for one person's record. */
export function findOpenSignals(
  rules: SignalRule[],
  context: RecordContext,
  extra: Variables = {},
): OpenSignal[] {
  return rules.flatMap((rule) => openSignalsOf(rule, context, variablesWith(context, rule.dates, extra)));
}

function openSignalsOf(rule: SignalRule, context: RecordContext, variables: Variables): OpenSignal[] {
  if (rule.appliesTo && !isTrue(rule.appliesTo, context.input, variables)) return [];
  const satisfied = (scope: Variables) =>
    rule.satisfiedWhen !== undefined && isTrue(rule.satisfiedWhen, context.input, scope);
  if (!rule.focus) return satisfied(variables) ? [] : [{ rule }];
  return evaluate(rule.focus, context.input, variables)
    .filter((focus) => !satisfied({ ...variables, '%focus': focus }))
    .map((focus) => {
      const resource = focus.value as Resource;
      return { rule, focus: `${resource.resourceType}/${resource.id}` };
    });
}
