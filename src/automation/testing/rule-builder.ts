import type { PlanDefinition, PlanDefinitionAction, TriggerDefinition } from '@medplum/fhirtypes';
import { ACTION_SYSTEM, COHORT_URL, SCHEDULE_URL } from '../rules/rule-profile.ts';

const fhirpath = (expression: string) => ({ language: 'text/fhirpath' as const, expression });

/** An action step: code, and element → FHIRPath values. */
export function step(
  code: string,
  values: Record<string, string> = {},
  more: PlanDefinitionAction = {},
): PlanDefinitionAction {
  return {
    code: [{ coding: [{ system: ACTION_SYSTEM, code }] }],
    dynamicValue: Object.entries(values).map(([path, expression]) => ({
      path,
      expression: fhirpath(expression),
    })),
    ...more,
  };
}

/** A rule of the automation-rule profile, for tests. */
export function ruleOf(spec: {
  title: string;
  resourceType: string;
  on?: string;
  when?: string;
  conditions?: string[];
  actions: PlanDefinitionAction[];
  status?: PlanDefinition['status'];
}): PlanDefinition {
  return {
    resourceType: 'PlanDefinition',
    title: spec.title,
    status: spec.status ?? 'draft',
    action: [
      {
        trigger: [
          {
            type: (spec.on ?? 'data-changed') as 'data-changed',
            data: [{ type: spec.resourceType as 'Patient' }],
            ...(spec.when ? { condition: fhirpath(spec.when) } : {}),
          },
        ],
        condition: (spec.conditions ?? []).map((c) => ({
          kind: 'applicability' as const,
          expression: fhirpath(c),
        })),
        action: spec.actions,
      },
    ],
  };
}

/** A `periodic` trigger: an RRULE in the clinic's zone, over the cohort a search selects (none: an extract rule). */
export function periodic(spec: { rrule: string; cohort?: string; when?: string }): TriggerDefinition {
  return {
    type: 'periodic',
    timingTiming: { extension: [{ url: SCHEDULE_URL, valueString: spec.rrule }] },
    ...(spec.cohort ? { extension: [{ url: COHORT_URL, valueString: spec.cohort }] } : {}),
    ...(spec.when ? { condition: fhirpath(spec.when) } : {}),
  };
}

/** A branch step: `then` steps when the condition holds, `otherwise` steps when it does not. */
export function branch(
  condition: string,
  sides: { then: PlanDefinitionAction[]; otherwise?: PlanDefinitionAction[] },
): PlanDefinitionAction {
  return step(
    'branch',
    {},
    {
      condition: [{ kind: 'applicability', expression: fhirpath(condition) }],
      action: [
        { title: 'then', action: sides.then },
        ...(sides.otherwise ? [{ title: 'else', action: sides.otherwise }] : []),
      ],
    },
  );
}
