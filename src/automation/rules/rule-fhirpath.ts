import {
  evalFhirPathTyped,
  parseFhirPath,
  toTypedValue,
  type FhirPathAtom,
  type TypedValue,
} from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../fhir/definitions.ts';

/** Expressions parsed once: every rule is evaluated for every matching write. */
const compiled = new Map<string, FhirPathAtom>();

function compile(expression: string): FhirPathAtom {
  let atom = compiled.get(expression);
  if (!atom) {
    // Typed elements (an `instant` compares with `now()`; a plain string would not).
    loadFhirDefinitions();
    atom = parseFhirPath(expression);
    compiled.set(expression, atom);
  }
  return atom;
}

/** What an expression sees: the version written, the one before it, and the change. */
export interface RuleScope {
  resource?: Resource;
  previous?: Resource;
  event: { action: string; resourceType: string };
}

/**
 * What one scope's evaluations share: its variables and input made typed once, and each
 * criterion's answer. The matcher meets one write with every rule watching its type, and rules
 * repeat triggers ("changed to final" in 47 lab rules): one evaluation each, not one per rule.
 * Keyed by the scope object (a new scope — a wait's re-read — starts afresh), so nothing outlives it.
 */
interface Evaluated {
  input: TypedValue[];
  variables: Record<string, TypedValue>;
  truths: Map<string, boolean>;
}

const evaluatedByScope = new WeakMap<RuleScope, Evaluated>();

function evaluatedOf(scope: RuleScope): Evaluated {
  let evaluated = evaluatedByScope.get(scope);
  if (!evaluated) {
    const input = scope.resource ?? scope.previous;
    evaluated = {
      input: input ? [toTypedValue(input)] : [],
      variables: {
        '%resource': toTypedValue(scope.resource),
        '%previous': toTypedValue(scope.previous),
        '%event': toTypedValue(scope.event),
      },
      truths: new Map(),
    };
    evaluatedByScope.set(scope, evaluated);
  }
  return evaluated;
}

export function evaluateRuleExpression(expression: string, scope: RuleScope): TypedValue[] {
  const { input, variables } = evaluatedOf(scope);
  return evalFhirPathTyped(compile(expression), input, variables);
}

/** FHIRPath truthiness for a criterion: a single `true`; empty or anything else is false. */
export function isRuleTrue(expression: string, scope: RuleScope): boolean {
  const { truths } = evaluatedOf(scope);
  let truth = truths.get(expression);
  if (truth === undefined) {
    const result = evaluateRuleExpression(expression, scope);
    truth = result.length === 1 && result[0]?.value === true;
    truths.set(expression, truth);
  }
  return truth;
}

/** The first value an expression yields (a dynamicValue). */
export function ruleValue(expression: string, scope: RuleScope): unknown {
  return evaluateRuleExpression(expression, scope)[0]?.value;
}

/**
 * Why an expression cannot run, or undefined: parsed, then tried on an empty resource of the
 * type so that an unknown variable or function is refused when the rule is written, not when
 * it first fires.
 */
export function expressionProblem(expression: string, resourceType: string): string | undefined {
  try {
    compile(expression);
    const empty = { resourceType } as Resource;
    evaluateRuleExpression(expression, {
      resource: empty,
      previous: empty,
      event: { action: 'update', resourceType },
    });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
