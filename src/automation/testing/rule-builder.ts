import type { PlanDefinition, PlanDefinitionAction } from '@medplum/fhirtypes';
import { ACTION_SYSTEM } from '../rules/rule-profile.ts';

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
