import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanDefinition, PlanDefinitionAction } from '@medplum/fhirtypes';
import type { ErrorIssue } from '../../kernel/errors.ts';
import { isThroughlineError } from '../../kernel/errors.ts';
import { branch, periodic, ruleOf, step } from '../testing/rule-builder.ts';
import { parseRule } from './parse-rule.ts';

const extract = (values: Record<string, string>) =>
  step('extract', { criteria: "'Observation?status=final'", ...values });

function planOf(
  actions: PlanDefinitionAction[],
  more: Partial<{ cohort: string; conditions: string[] }> = {},
) {
  const plan: PlanDefinition = ruleOf({
    title: 'extract',
    resourceType: 'Observation',
    actions,
    ...(more.conditions ? { conditions: more.conditions } : {}),
  });
  plan.action![0]!.trigger = [
    periodic({ rrule: 'FREQ=DAILY;BYHOUR=6', ...(more.cohort ? { cohort: more.cohort } : {}) }),
  ];
  return plan;
}

function issuesOf(plan: PlanDefinition): ErrorIssue[] {
  try {
    parseRule(plan);
  } catch (error) {
    if (isThroughlineError(error)) return error.issues;
    throw error;
  }
  return [];
}

test('an extract rule parses: its search, format, name, folder and columns', () => {
  const rule = parseRule(
    planOf([
      extract({ format: "'csv'", folder: "'lab/daily'", 'column.id': 'id', 'column.code': 'code.text' }),
    ]),
  );
  assert.deepEqual(rule.actions[0]?.extract, {
    resourceType: 'Observation',
    params: [['status', 'final']],
    format: 'csv',
    name: 'Observation',
    folder: 'lab/daily',
    columns: [
      { header: 'id', expression: 'id' },
      { header: 'code', expression: 'code.text' },
    ],
  });
});

test('what an extract refuses, each named by its path', () => {
  const at = (i: number) => `PlanDefinition.action[0].action[0].dynamicValue[${i}].expression.expression`;
  const cases: [PlanDefinition, string][] = [
    [planOf([extract({ folder: "'../elsewhere'" })]), at(1)],
    [planOf([extract({ folder: "'/etc'" })]), at(1)],
    [planOf([step('extract', { criteria: '%resource.id' })]), at(0)],
    [planOf([extract({ format: "'xml'" })]), at(1)],
    [planOf([extract({ format: "'csv'" })]), 'PlanDefinition.action[0].action[0].dynamicValue'],
    [planOf([extract({ 'column.id': 'id' })]), 'PlanDefinition.action[0].action[0].dynamicValue[1].path'],
    [planOf([extract({}), step('send', { purpose: "'care-gap'" })]), 'PlanDefinition.action[0].action'],
    [planOf([branch('true', { then: [extract({})] })]), 'PlanDefinition.action[0].action'],
    [planOf([extract({})], { conditions: ['true'] }), 'PlanDefinition.action[0].condition'],
  ];
  for (const [plan, path] of cases)
    assert.ok(
      issuesOf(plan).some((issue) => issue.expression === path),
      `${path}: ${JSON.stringify(issuesOf(plan))}`,
    );
});

test('a periodic rule of other actions still needs its cohort', () => {
  const issues = issuesOf(planOf([step('send', { purpose: "'care-gap'" })]));
  assert.ok(issues.some((issue) => issue.expression === 'PlanDefinition.action[0].trigger[0].extension'));
});
