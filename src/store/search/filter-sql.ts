import { escapeLike, normalizeSearchString } from '../../fhir/search-normalize.ts';
import { dateCondition, numberCondition } from './range-sql.ts';
import { chainCondition, hasCondition, referenceCondition } from './reference-sql.ts';
import { invalid, type Filter } from './search-request.ts';
import { checkNotMasked } from './scope-sql.ts';
import { add, alias, codeCondition, type SqlArgs } from './sql-args.ts';
import type { FilterTarget, IndexedFilter } from './filter-target.ts';

/**
 * SQL for one filter on the resource row `row` (an alias of `resource`): an EXISTS over the
 * parameter's index table, whose lookup index (resource_type, code, value…) drives the plan.
 * The values of one filter are ORed inside that EXISTS; filters are ANDed by the caller.
 */
export function filterCondition(target: FilterTarget, filter: Filter): string {
  const { args, resourceType, row } = target;
  checkNotMasked(args, resourceType, filter);
  if (filter.has) return hasCondition(target, filter, filterCondition);
  const code = filter.param.code;
  if (code === '_id') return idCondition(args, row, filter);
  if (code === '_lastUpdated') {
    const column = `${row}.last_updated`;
    return orAll(
      filter.values.map((value) =>
        dateCondition(args, { name: filter.name, value }, { low: column, high: column }),
      ),
    );
  }
  if (filter.param.components) return compositeCondition(target, filter);
  const table = filter.param.table!;
  const s = alias(args, 's');
  const head = `SELECT 1 FROM search_${table} ${s} WHERE ${s}.resource_type = ${add(args, resourceType)} AND ${s}.id = ${row}.id AND ${codeCondition(args, s, filter.param.sources)}`;
  if (filter.modifier === 'missing') return missingCondition(filter, head);
  if (filter.chain !== undefined)
    return `EXISTS (${head} AND ${chainCondition({ args, s, filter }, filterCondition)})`;
  const conditions = filter.values.map((value) => valueCondition({ args, s, filter }, value));
  if (filter.modifier === 'not') return `NOT EXISTS (${head} AND ${orAll(conditions)})`;
  return `EXISTS (${head} AND ${orAll(conditions)})`;
}

/** `code-value-quantity=http://loinc.org|8480-6$gt100`: each `$` part filters its component; values OR. */
function compositeCondition(target: FilterTarget, filter: Filter): string {
  const components = filter.param.components!;
  const alternatives = filter.values.map((value) => {
    const parts = value.split(/(?<!\\)\$/);
    if (parts.length !== components.length) {
      throw invalid(`${filter.name}: expected ${components.length} values joined by $`, filter.name);
    }
    const each = components.map((param, i) =>
      filterCondition(target, {
        name: filter.name,
        param,
        values: [parts[i]!.replace(/\\\$/g, '$')],
      }),
    );
    return `(${each.join(' AND ')})`;
  });
  return orAll(alternatives);
}

function orAll(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0]! : `(${conditions.join(' OR ')})`;
}

function idCondition(args: SqlArgs, row: string, filter: Filter): string {
  if (filter.modifier === 'missing') return filter.values[0] === 'true' ? 'false' : 'true';
  const condition = `${row}.id = ANY(${add(args, filter.values)}::text[])`;
  return filter.modifier === 'not' ? `NOT ${condition}` : condition;
}

function missingCondition(filter: Filter, head: string): string {
  const value = filter.values[0];
  if (filter.values.length !== 1 || (value !== 'true' && value !== 'false')) {
    throw invalid(`${filter.name} must be true or false`, filter.name);
  }
  return value === 'true' ? `NOT EXISTS (${head})` : `EXISTS (${head})`;
}

function valueCondition(on: IndexedFilter, value: string): string {
  const { args, s, filter } = on;
  switch (filter.param.type) {
    case 'token':
      return tokenCondition(on, value);
    case 'uri':
      return uriCondition(on, value);
    case 'string':
      return stringCondition(on, value);
    case 'date':
      return dateCondition(args, { name: filter.name, value }, { low: `${s}.low`, high: `${s}.high` });
    case 'number':
      return numberCondition(args, { name: filter.name, value }, { low: `${s}.low`, high: `${s}.high` });
    case 'quantity':
      return quantityCondition(on, value);
    case 'reference':
      return referenceCondition(on, value);
    default:
      throw invalid(`${filter.name}: ${filter.param.type} parameters are not supported`, filter.name);
  }
}

/** `code`, `system|code`, `|code` (no system), `system|` (any code of the system). */
function tokenCondition({ args, s, filter }: IndexedFilter, value: string): string {
  if (filter.modifier === 'text') {
    return `${s}.display LIKE ${add(args, `%${escapeLike(normalizeSearchString(value))}%`)}`;
  }
  const bar = value.search(/(?<!\\)\|/);
  const unescape = (text: string): string => text.replace(/\\\|/g, '|');
  if (bar < 0) return `${s}.value = ${add(args, unescape(value))}`;
  const system = unescape(value.slice(0, bar));
  const code = unescape(value.slice(bar + 1));
  const systemSql = system === '' ? `${s}.system IS NULL` : `${s}.system = ${add(args, system)}`;
  return code === '' ? systemSql : `(${s}.value = ${add(args, code)} AND ${systemSql})`;
}

function uriCondition({ args, s, filter }: IndexedFilter, value: string): string {
  if (filter.modifier === 'below') return `${s}.value LIKE ${add(args, `${escapeLike(value)}%`)}`;
  if (filter.modifier === 'above') return `${add(args, value)} LIKE (${s}.value || '%')`;
  return `${s}.value = ${add(args, value)}`;
}

/** Default is starts-with on the normalized text; `:exact` compares the original; `:contains` anywhere. */
function stringCondition({ args, s, filter }: IndexedFilter, value: string): string {
  if (filter.modifier === 'exact') return `${s}.exact = ${add(args, value)}`;
  const normalized = escapeLike(normalizeSearchString(value));
  const pattern = filter.modifier === 'contains' ? `%${normalized}%` : `${normalized}%`;
  return `${s}.value LIKE ${add(args, pattern)}`;
}

/** `[prefix]number|system|code`; without a system the code may match the code or the unit text. */
function quantityCondition({ args, s, filter }: IndexedFilter, value: string): string {
  const [number, system, unit] = value.split('|');
  const parts = [
    numberCondition(args, { name: filter.name, value: number ?? '' }, { low: `${s}.low`, high: `${s}.high` }),
  ];
  if (system) parts.push(`${s}.system = ${add(args, system)}`);
  if (unit && system) parts.push(`${s}.unit_code = ${add(args, unit)}`);
  if (unit && !system) {
    const placeholder = add(args, unit);
    parts.push(`(${s}.unit_code = ${placeholder} OR ${s}.unit = ${placeholder})`);
  }
  return `(${parts.join(' AND ')})`;
}
