import { evalFhirPathTyped, parseFhirPath, type FhirPathAtom, type TypedValue } from '@medplum/core';

/**
 * FHIRPath from `@medplum/core`, with each expression parsed once: definitions are evaluated
 * for every patient, and parsing dominates evaluation for small records.
 */
const compiled = new Map<string, FhirPathAtom>();

export function compileFhirPath(expression: string): FhirPathAtom {
  let atom = compiled.get(expression);
  if (!atom) {
    atom = parseFhirPath(expression);
    compiled.set(expression, atom);
  }
  return atom;
}

export type Variables = Record<string, TypedValue>;

export function evaluate(expression: string, input: TypedValue, variables: Variables): TypedValue[] {
  return evalFhirPathTyped(compileFhirPath(expression), [input], variables);
}

/** FHIRPath truthiness for a criterion: a single `true`; empty or anything else is false. */
export function isTrue(expression: string, input: TypedValue, variables: Variables): boolean {
  const result = evaluate(expression, input, variables);
  return result.length === 1 && result[0]?.value === true;
}

/** The date-like values an expression yields (dates, dateTimes, instants, Period starts). */
export function datesOf(expression: string, input: TypedValue, variables: Variables): string[] {
  return evaluate(expression, input, variables)
    .map((value) =>
      typeof value.value === 'string' ? value.value : (value.value as { start?: string })?.start,
    )
    .filter((value): value is string => typeof value === 'string' && /^\d{4}/.test(value));
}
