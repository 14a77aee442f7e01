import type { PlanDefinitionAction } from '@medplum/fhirtypes';
import {
  EXTRACT_FORMATS,
  folderProblem,
  SAFE_NAME,
  type ExtractFormat,
  type ExtractSpec,
} from '../batch/extract-spec.ts';
import { checkedExpression, type At } from './parse-issues.ts';
import { cohortOf } from './parse-schedule.ts';
import type { Rule } from './rule-model.ts';

const PARAMETERS = ['criteria', 'format', 'name', 'folder'];
const COLUMN = 'column.';

/** A FHIRPath string literal's text (`'csv'` → `csv`); undefined when the expression is not one. */
export function literalOf(expression: string | undefined): string | undefined {
  const match = /^'((?:[^'\\]|\\.)*)'$/.exec(expression ?? '');
  return match ? match[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/**
 * An `extract` action's parameters (string literals: it runs at an occurrence, with no write
 * to compute them from): `criteria` (a search), `format` (`ndjson`, the default, or `csv`),
 * `name`, `folder` (inside `AUTOMATION_EXTRACT_DIR`; `..` refused) and, for CSV, one
 * `column.{header}` per column, a FHIRPath over each row. Problems are noted at their paths.
 */
export function parseExtract(action: PlanDefinitionAction, at: At): ExtractSpec | undefined {
  const dynamics = action.dynamicValue ?? [];
  const pathOf = (i: number) => `${at.path}.dynamicValue[${i}].expression.expression`;
  const literal = (parameter: string): { value?: string; path: string } => {
    const i = dynamics.findIndex((dynamic) => dynamic.path === parameter);
    const value = literalOf(dynamics[i]?.expression?.expression);
    if (i >= 0 && value === undefined)
      at.issues.add(pathOf(i), `an extract's ${parameter} is a string literal ('…')`);
    return {
      ...(value === undefined ? {} : { value }),
      path: i >= 0 ? pathOf(i) : `${at.path}.dynamicValue`,
    };
  };
  dynamics.forEach((dynamic, i) => {
    if (dynamic.path && !PARAMETERS.includes(dynamic.path) && !dynamic.path.startsWith(COLUMN))
      at.issues.add(
        `${at.path}.dynamicValue[${i}].path`,
        `an extract takes ${PARAMETERS.join(', ')} and ${COLUMN}{header}`,
      );
  });
  const criteria = literal('criteria');
  const search = cohortOf(criteria.value);
  if (!search) at.issues.add(criteria.path, 'an extract needs criteria, a search "Type?params"');
  const formatAt = literal('format');
  const format = (formatAt.value ?? 'ndjson') as ExtractFormat;
  if (!EXTRACT_FORMATS.includes(format))
    at.issues.add(formatAt.path, `format is ${EXTRACT_FORMATS.join(' or ')}`);
  const nameAt = literal('name');
  const name = nameAt.value ?? search?.resourceType ?? 'extract';
  if (!SAFE_NAME.test(name)) at.issues.add(nameAt.path, 'a name is letters, digits, dot, dash, underscore');
  const folder = literal('folder');
  const problem = folderProblem(folder.value ?? '');
  if (problem)
    at.issues.add(folder.path, `an extract folder stays inside AUTOMATION_EXTRACT_DIR: ${problem}`);
  const columns = columnsOf(action, { ...at, type: search?.resourceType, format });
  if (!search) return undefined;
  return { ...search, format, name, folder: folder.value ?? '', columns };
}

function columnsOf(action: PlanDefinitionAction, at: At & { format: ExtractFormat }): ExtractSpec['columns'] {
  const columns: ExtractSpec['columns'] = [];
  (action.dynamicValue ?? []).forEach((dynamic, i) => {
    if (!dynamic.path?.startsWith(COLUMN)) return;
    const path = `${at.path}.dynamicValue[${i}]`;
    if (at.format !== 'csv')
      at.issues.add(`${path}.path`, 'columns are for a csv extract (ndjson writes whole resources)');
    const expression = checkedExpression(dynamic.expression?.expression, {
      ...at,
      path: `${path}.expression.expression`,
    });
    if (expression) columns.push({ header: dynamic.path.slice(COLUMN.length), expression });
  });
  if (at.format === 'csv' && columns.length === 0)
    at.issues.add(
      `${at.path}.dynamicValue`,
      `a csv extract names its columns: ${COLUMN}{header} = FHIRPath over each row`,
    );
  return columns;
}

/**
 * An extract rule: every top-level action an extract, run at each occurrence of its one
 * `periodic` trigger (the search is the extract's own; no cohort, no condition), never inside
 * a branch or next to actions that act on a write.
 */
export function checkExtractRule(
  rule: Pick<Rule, 'triggers' | 'actions'> & { conditions: unknown[] },
  at: At,
): void {
  const top = rule.actions.filter((action) => action.type === 'extract').length;
  if (rule.actions.some(hasNestedExtract))
    at.issues.add(`${at.path}.action`, 'an extract is a top-level action of its rule, not inside a branch');
  if (top === 0) return;
  if (top !== rule.actions.length)
    at.issues.add(
      `${at.path}.action`,
      'an extract rule has only extract actions (they run per occurrence, not per write)',
    );
  if (rule.triggers.length !== 1 || !rule.triggers[0]?.on.includes('scheduled'))
    at.issues.add(`${at.path}.trigger`, 'an extract rule has one trigger, periodic');
  if (rule.conditions.length > 0)
    at.issues.add(`${at.path}.condition`, 'an extract rule has no conditions: its criteria select the rows');
}

function hasNestedExtract(action: Rule['actions'][number]): boolean {
  const sides = action.branch ? [...action.branch.then, ...action.branch.else] : [];
  return sides.some((side) => side.type === 'extract' || hasNestedExtract(side));
}

/** Whether the rule is an extract rule (its occurrences write files, they select no cohort). */
export function isExtractRule(rule: Pick<Rule, 'actions'>): boolean {
  return rule.actions.length > 0 && rule.actions.every((action) => action.type === 'extract');
}
