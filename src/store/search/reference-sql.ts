import { ThroughlineError } from '../../kernel/errors.ts';
import { parseReference } from './index-values.ts';
import { invalid, parseFilter, type Filter } from './search-request.ts';
import { add, alias, codeCondition, type SqlArgs } from './sql-args.ts';
import { innerScopeCondition, type FilterBuilder } from './scope-sql.ts';
import type { FilterTarget, IndexedFilter } from './filter-target.ts';

export type { FilterBuilder };

/**
 * Reference values: `Patient/1`, a full URL ending in `Patient/1`, a bare id (any target type,
 * or the type of a `:Patient` modifier), or a canonical URL (optionally `|version`).
 */
export function referenceCondition({ args, s, filter }: IndexedFilter, value: string): string {
  if (filter.modifier === 'identifier') return identifierCondition(args, s, value);
  const typeModifier = filter.modifier && filter.modifier !== 'missing' ? filter.modifier : undefined;
  const target = parseReference(value);
  if (target) {
    if (typeModifier && typeModifier !== target.type) return 'false';
    const typed = `(${s}.target_type = ${add(args, target.type)} AND ${s}.target_id = ${add(args, target.id)})`;
    return /^[a-z]+:/.test(value) ? `(${typed} OR ${s}.reference = ${add(args, value)})` : typed;
  }
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) {
    const byId = `${s}.target_id = ${add(args, value)}`;
    return typeModifier ? `(${byId} AND ${s}.target_type = ${add(args, typeModifier)})` : byId;
  }
  const url = value.split('|')[0]!;
  return `(${s}.reference = ${add(args, value)} OR ${s}.reference LIKE ${add(args, `${url}|%`)})`;
}

/** `subject:identifier=system|value` matches `Reference.identifier` (R4 3.1.1.5.10). */
function identifierCondition(args: SqlArgs, s: string, value: string): string {
  const bar = value.search(/(?<!\\)\|/);
  if (bar < 0) return `${s}.identifier_value = ${add(args, value)}`;
  const system = value.slice(0, bar);
  const systemSql =
    system === '' ? `${s}.identifier_system IS NULL` : `${s}.identifier_system = ${add(args, system)}`;
  return `(${s}.identifier_value = ${add(args, value.slice(bar + 1))} AND ${systemSql})`;
}

/**
 * One chain step (`subject:Patient.name=x`, `patient.identifier=…`): the reference must point
 * to a live resource of a target type that matches the chained filter. Without a type
 * modifier every target type that has the chained parameter is tried.
 */
export function chainCondition({ args, s, filter }: IndexedFilter, build: FilterBuilder): string {
  const typeModifier = filter.modifier;
  const scope = args.scope;
  // A typed chain names its type (refused below when the caller may not search it); an untyped
  // one only tries the target types the caller may search.
  const targets = typeModifier
    ? [typeModifier]
    : filter.param.targets.filter((type) => !scope || scope.maySearch(type));
  const branches: string[] = [];
  for (const targetType of targets) {
    const chained = chainedFilter(targetType, filter);
    if (!chained) continue;
    const c = alias(args, 'c');
    const inner: FilterTarget = { args, resourceType: targetType, row: c };
    const placeholder = add(args, targetType);
    branches.push(
      `(${s}.target_type = ${placeholder} AND ${s}.target_id IN (SELECT ${c}.id FROM resource ${c} WHERE ${c}.resource_type = ${placeholder} AND NOT ${c}.deleted AND ${innerScopeCondition(inner, build)} AND ${build(inner, chained)}))`,
    );
  }
  if (branches.length === 0 && scope && !typeModifier && filter.param.targets.length > 0)
    throw new ThroughlineError('FORBIDDEN', `${filter.name}: no target type you may search`);
  if (branches.length === 0) {
    throw invalid(
      `${filter.name}: no target type of "${filter.param.code}" has parameter "${filter.chain}"`,
      filter.name,
    );
  }
  return branches.length === 1 ? branches[0]! : `(${branches.join(' OR ')})`;
}

function chainedFilter(targetType: string, filter: Filter): Filter | undefined {
  try {
    const chained = parseFilter(targetType, { name: filter.chain!, value: 'x' }, true);
    return chained && { ...chained, values: filter.values };
  } catch (error) {
    // A typed chain (`subject:Patient.x`) must resolve; an untyped one just skips that type.
    if (filter.modifier) throw error;
    return undefined;
  }
}

/** `_has:Observation:patient:code=x`: some live Observation matching `code=x` references this row. */
export function hasCondition(target: FilterTarget, filter: Filter, build: FilterBuilder): string {
  const { args, resourceType, row } = target;
  const { resourceType: referrerType, inner } = filter.has!;
  const h = alias(args, 'h');
  const hr = alias(args, 'hr');
  const referrer: FilterTarget = { args, resourceType: referrerType, row: hr };
  const scoped = innerScopeCondition(referrer, build);
  return `${row}.id IN (SELECT ${h}.target_id FROM search_reference ${h}
    JOIN resource ${hr} ON ${hr}.resource_type = ${h}.resource_type AND ${hr}.id = ${h}.id AND NOT ${hr}.deleted
    WHERE ${h}.resource_type = ${add(args, referrerType)} AND ${codeCondition(args, h, filter.param.sources)}
      AND ${h}.target_type = ${add(args, resourceType)} AND ${scoped} AND ${build(referrer, inner)})`;
}
