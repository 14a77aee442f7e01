import { ThroughlineError } from '../../kernel/errors.ts';
import type { SearchRequest } from './contract.ts';
import { searchLimits } from './search-limits.ts';
import { searchParamsFor, type SearchParam } from './search-params.ts';

/**
 * A search request checked against the type's parameters: filters (repeated parameter = AND,
 * comma-separated values = OR), result parameters, and the parameters that were understood —
 * the only ones paging links repeat.
 */
export interface Filter {
  /** Parameter name as sent, e.g. `subject:Patient.name`. */
  name: string;
  param: SearchParam;
  modifier?: string;
  /** The rest of a chain, e.g. `name` in `subject:Patient.name`. */
  chain?: string;
  values: string[];
  /** Reverse chain `_has:Observation:patient:code=x`: `param` is Observation's `patient`. */
  has?: { resourceType: string; inner: Filter };
}

export interface IncludeSpec {
  sourceType: string;
  /** undefined for `*`: every reference parameter. */
  code?: string;
  targetType?: string;
  iterate: boolean;
}

export interface SortKey {
  code: string;
  param?: SearchParam;
  descending: boolean;
}

export interface ParsedSearch {
  filters: Filter[];
  sort: SortKey[];
  count: number;
  offset: number;
  total: 'none' | 'estimate' | 'accurate';
  summary?: 'count' | 'data' | 'text' | 'false' | 'true';
  elements?: string[];
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  /** Understood parameters in request order, without `_offset`: the base of every link. */
  kept: [string, string][];
}

export const { defaultCount, maxCount } = searchLimits;

const ignoredParams = new Set(['_format', '_pretty']);

export function parseSearch(request: SearchRequest): ParsedSearch {
  const parsed: ParsedSearch = {
    filters: [],
    sort: [],
    count: defaultCount,
    offset: 0,
    total: 'none',
    include: [],
    revinclude: [],
    kept: [],
  };
  checkParameterCount(request.params);
  for (const [name, value] of request.params) {
    // An empty value (`name=` from a form) carries no criterion: R4 says to ignore it.
    if (ignoredParams.has(name) || value === '') continue;
    const understood =
      name.startsWith('_') && applyResultParam(parsed, request.resourceType, { name, value });
    if (understood) {
      if (name !== '_offset') parsed.kept.push([name, value]);
      continue;
    }
    const filter = parseFilter(request.resourceType, { name, value }, request.strict ?? false);
    if (filter) {
      parsed.filters.push(filter);
      parsed.kept.push([name, value]);
    }
  }
  return parsed;
}

/** More parameters than `searchLimits.maxParameters` (the first one past it is named). */
function checkParameterCount(params: [string, string][]): void {
  const counted = params.filter(([name, value]) => !ignoredParams.has(name) && value !== '');
  const extra = counted[searchLimits.maxParameters];
  if (extra)
    throw invalid(
      `A search may have at most ${searchLimits.maxParameters} parameters; ${extra[0]} is one too many`,
      extra[0],
    );
}

export function invalid(message: string, expression: string): ThroughlineError {
  return new ThroughlineError('INVALID_SEARCH', message, { expression });
}

/** One `name=value` pair of the query string, as sent (`name` with its modifiers and chain). */
export interface QueryParam {
  name: string;
  value: string;
}

function applyResultParam(parsed: ParsedSearch, resourceType: string, { name, value }: QueryParam): boolean {
  switch (name) {
    case '_count':
      parsed.count = Math.min(maxCount, nonNegativeInt(name, value));
      return true;
    case '_offset':
      parsed.offset = nonNegativeInt(name, value);
      return true;
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') {
        throw invalid(`_total must be none, estimate or accurate, not "${value}"`, name);
      }
      parsed.total = value;
      return true;
    case '_summary':
      if (!['count', 'data', 'text', 'false', 'true'].includes(value)) {
        throw invalid(`_summary "${value}" is not supported`, name);
      }
      parsed.summary = value as ParsedSearch['summary'];
      return true;
    case '_elements':
      parsed.elements = value.split(',').map((element) => element.trim().replace(/^[A-Z][A-Za-z]+\./, ''));
      return true;
    case '_sort':
      parsed.sort.push(...parseSort(resourceType, value));
      return true;
    default:
      return applyIncludeParam(parsed, name, value);
  }
}

function applyIncludeParam(parsed: ParsedSearch, name: string, value: string): boolean {
  const [base, modifier] = name.split(':');
  if (base !== '_include' && base !== '_revinclude') return false;
  if (modifier !== undefined && modifier !== 'iterate' && modifier !== 'recurse') {
    throw invalid(`${name}: unknown modifier`, name);
  }
  const spec = parseInclude(name, value, modifier !== undefined);
  if (base === '_include') parsed.include.push(spec);
  else parsed.revinclude.push(spec);
  return true;
}

function parseInclude(name: string, value: string, iterate: boolean): IncludeSpec {
  if (value === '*') return { sourceType: '*', iterate };
  const [sourceType, code, targetType] = value.split(':');
  if (!sourceType || !code) throw invalid(`${name}=${value}: expected Type:parameter[:targetType]`, name);
  if (code === '*') return { sourceType, targetType, iterate };
  const param = searchParamsFor(sourceType).byCode.get(code);
  if (!param || param.type !== 'reference') {
    throw invalid(`${name}: ${sourceType} has no reference parameter "${code}"`, name);
  }
  return { sourceType, code, targetType, iterate };
}

function parseSort(resourceType: string, value: string): SortKey[] {
  return limitedValues('_sort', value.split(',')).map((item) => {
    const descending = item.startsWith('-');
    const code = descending ? item.slice(1) : item;
    const param = searchParamsFor(resourceType).byCode.get(code);
    if (!param || (code !== '_id' && code !== '_lastUpdated' && !param.table)) {
      throw invalid(`cannot sort by unknown parameter "${code}"`, '_sort');
    }
    return { code, param, descending };
  });
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw invalid(`${name} must be a non-negative integer, not "${value}"`, name);
  return Number(value);
}

const modifiersByType: Record<string, string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'text', 'missing'],
  uri: ['below', 'above', 'missing'],
  reference: ['missing', 'identifier'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  composite: [],
};

export function parseFilter(resourceType: string, query: QueryParam, strict: boolean): Filter | undefined {
  const { name, value } = query;
  if (name.startsWith('_has:')) return parseHas(resourceType, query, strict);
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const chain = dot < 0 ? undefined : name.slice(dot + 1);
  const [code, modifier, ...extra] = head.split(':');
  const param = searchParamsFor(resourceType).byCode.get(code!);
  if (!param || (!param.table && !param.components && code !== '_id' && code !== '_lastUpdated')) {
    if (strict) throw invalid(`Unknown or unsupported search parameter "${name}" for ${resourceType}`, name);
    return undefined;
  }
  if (extra.length > 0) throw invalid(`${name}: too many modifiers`, name);
  checkModifier(param, { name, modifier, chain });
  return { name, param, modifier, chain, values: limitedValues(name, splitValues(value)) };
}

/** An OR list is one SQL condition per value: past `maxValuesPerParameter` it is refused, naming the parameter. */
function limitedValues(name: string, values: string[]): string[] {
  const max = searchLimits.maxValuesPerParameter;
  if (values.length > max)
    throw invalid(`${name} has ${values.length} comma-separated values; at most ${max} are accepted`, name);
  return values;
}

/** `_has:Type:reference:inner` — resources that some `Type` references and that matches `inner`. */
function parseHas(resourceType: string, { name, value }: QueryParam, strict: boolean): Filter | undefined {
  const [, type, code, ...rest] = name.split(':');
  const param = type ? searchParamsFor(type).byCode.get(code ?? '') : undefined;
  if (!type || !param || param.type !== 'reference' || rest.length === 0) {
    throw invalid(`${name}: expected _has:Type:referenceParameter:parameter`, name);
  }
  if (param.targets.length > 0 && !param.targets.includes(resourceType)) {
    throw invalid(`${name}: ${type}.${code} cannot reference ${resourceType}`, name);
  }
  const inner = parseFilter(type, { name: rest.join(':'), value }, strict);
  return inner && { name, param, values: inner.values, has: { resourceType: type, inner } };
}

/** A parameter name taken apart: `subject:Patient.name` has modifier `Patient` and chain `name`. */
interface NameParts {
  name: string;
  modifier: string | undefined;
  chain: string | undefined;
}

function checkModifier(param: SearchParam, { name, modifier, chain }: NameParts): void {
  if (chain !== undefined && param.type !== 'reference')
    throw invalid(`${name}: only references chain`, name);
  if (modifier === undefined) return;
  const isTypeModifier = param.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier);
  if (!isTypeModifier && !(modifiersByType[param.type ?? ''] ?? []).includes(modifier)) {
    throw invalid(`${name}: modifier :${modifier} is not supported for ${param.type} parameters`, name);
  }
}

/**
 * Splits on commas not escaped as `\,` (R4 3.1.1.6) and unescapes `\,`; `\|` and `\$` stay
 * escaped until the token and composite parsers have split on them.
 */
export function splitValues(value: string): string[] {
  return value.split(/(?<!\\),/).map((part) => part.replace(/\\,/g, ','));
}
