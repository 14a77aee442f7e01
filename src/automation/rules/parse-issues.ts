import type { ErrorIssue } from '../../kernel/errors.ts';
import { expressionProblem } from './rule-fhirpath.ts';

/** Collects problems with their FHIRPath location in the PlanDefinition. */
export class Issues {
  readonly list: ErrorIssue[] = [];
  add(expression: string, message: string): void {
    this.list.push({ expression, message });
  }
}

/** Where in the PlanDefinition a part is read, the problems so far, and the type its expressions see. */
export interface At {
  path: string;
  issues: Issues;
  type?: string;
}

/** The expression when it runs; otherwise undefined, with the problem noted at its path. */
export function checkedExpression(expression: string | undefined, at: At): string | undefined {
  if (!expression) {
    at.issues.add(at.path, 'a FHIRPath expression is required here');
    return undefined;
  }
  const problem = expressionProblem(expression, at.type ?? 'Resource');
  if (problem) at.issues.add(at.path, `FHIRPath does not run: ${problem}`);
  return problem ? undefined : expression;
}
