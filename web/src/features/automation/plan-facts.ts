// The parts of a rule (a PlanDefinition of the automation-rule profile) the page puts into words.

export interface PlanExpression {
  language?: string;
  expression?: string;
  /** The author's words for it, when given ("the appointment is in the future"). */
  description?: string;
}

export interface PlanStep {
  title?: string;
  code?: { coding?: { code?: string }[] }[];
  dynamicValue?: { path?: string; expression?: PlanExpression }[];
  timingDuration?: { value?: number; unit?: string; code?: string };
  condition?: { kind?: string; expression?: PlanExpression }[];
  /** A branch: `action[0].action` its steps when true, `action[1].action` when not. */
  action?: { action?: PlanStep[] }[];
}

export interface PlanTrigger {
  type?: string;
  name?: string;
  data?: { type?: string }[];
  condition?: PlanExpression;
  timingTiming?: { extension?: { url?: string; valueString?: string }[] };
  extension?: { url?: string; valueString?: string }[];
}

export const SCHEDULE_URL = 'https://throughline.dev/fhir/StructureDefinition/automation-schedule';
export const COHORT_URL = 'https://throughline.dev/fhir/StructureDefinition/automation-cohort';

/** A step's code (`send`, `task`, `hl7-send`…). */
export function codeOf(step: PlanStep | undefined): string {
  return step?.code?.[0]?.coding?.[0]?.code ?? '?';
}

/** `'results-ready'` → `results-ready`: a value a rule writes as a FHIRPath string literal; else none. */
export function literalOf(expression: string | undefined): string | undefined {
  const match = /^'((?:[^'\\]|\\.)*)'$/.exec(expression?.trim() ?? '');
  return match?.[1]?.replace(/\\(.)/g, '$1');
}

/** A step's values that are fixed in the rule (literals), by path: what can be said before it runs. */
export function literalValues(step: PlanStep | undefined): Record<string, string> {
  return Object.fromEntries(
    (step?.dynamicValue ?? []).flatMap((value) => {
      const literal = literalOf(value.expression?.expression);
      return value.path && literal !== undefined ? [[value.path, literal]] : [];
    }),
  );
}

const UNITS: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
};

/** `{ value: 3, code: 'd' }` → "3 days". */
export function durationWords(duration: PlanStep['timingDuration']): string | undefined {
  if (duration?.value === undefined) return undefined;
  const [one, many] = UNITS[duration.code ?? duration.unit ?? ''] ?? [
    duration.unit ?? '',
    duration.unit ?? '',
  ];
  return `${duration.value} ${duration.value === 1 ? one : many}`.trim();
}

/**
 * The rule's step at a run's position: `step` (`0.then.1`) inside a branch, else the index
 * among the rule's actions (the run log's numbering, src/automation/rules/rule-steps.ts).
 */
export function stepAt(
  steps: PlanStep[] | undefined,
  at: { index: number; step?: string },
): PlanStep | undefined {
  if (!at.step) return steps?.[at.index];
  const parts = at.step.split('.');
  let current = steps?.[Number(parts[0])];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const side = parts[i] === 'then' ? 0 : 1;
    current = current?.action?.[side]?.action?.[Number(parts[i + 1])];
  }
  return current;
}
