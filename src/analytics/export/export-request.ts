import { ThroughlineError } from '../../kernel/errors.ts';
import { isResourceType } from '../../fhir/definitions.ts';

/** Bulk Data Access IG v2 §5.1: which data a kick-off asks for. */
export type ExportLevel = 'system' | 'patient' | 'group';

export interface ExportRequest {
  level: ExportLevel;
  /** `Group/{id}/$export`: the group whose member patients are exported. */
  groupId?: string;
  /** `_type`: only these types (undefined: every type the level holds). */
  types?: string[];
  /** `_since`: only resources changed after this instant. */
  since?: string;
  /** `_typeFilter`: per type, search queries (as parameter lists) of which a resource must match one. */
  typeFilters: Map<string, [string, string][][]>;
  /** The kick-off URL, echoed in the manifest's `request`. */
  requestUrl: string;
}

const ndjsonFormats = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const kickOffParams = new Set([
  '_outputFormat',
  '_type',
  '_since',
  '_typeFilter',
  'patient',
  'includeAssociatedData',
]);

const invalid = (message: string, expression: string) =>
  new ThroughlineError('INVALID_REQUEST', message, { expression });

/** The kick-off's query parameters, checked; a bad one is a 400 naming it (IG §5.1.3). */
export function parseExportRequest(input: {
  level: ExportLevel;
  groupId?: string;
  pairs: [string, string][];
  requestUrl: string;
}): ExportRequest {
  const { pairs } = input;
  for (const [name] of pairs)
    if (!kickOffParams.has(name)) throw invalid(`Unsupported export parameter ${name}`, name);
  for (const [name, value] of pairs) if (name === '_outputFormat') checkFormat(value);
  const types = typesOf(pairs);
  const since = sinceOf(pairs);
  const typeFilters = typeFiltersOf(pairs, types);
  if (pairs.some(([name]) => name === 'patient' || name === 'includeAssociatedData'))
    throw new ThroughlineError('NOT_SUPPORTED', 'patient and includeAssociatedData are not supported', {
      expression: 'patient',
    });
  return {
    level: input.level,
    groupId: input.groupId,
    types,
    since,
    typeFilters,
    requestUrl: input.requestUrl,
  };
}

function checkFormat(value: string): void {
  if (!ndjsonFormats.has(value))
    throw invalid(`_outputFormat ${value} is not supported: only application/fhir+ndjson`, '_outputFormat');
}

function typesOf(pairs: [string, string][]): string[] | undefined {
  const values = pairs.filter(([name]) => name === '_type').flatMap(([, value]) => value.split(','));
  if (values.length === 0) return undefined;
  for (const type of values)
    if (!isResourceType(type)) throw invalid(`_type: ${type} is not a resource type`, '_type');
  return [...new Set(values)];
}

function sinceOf(pairs: [string, string][]): string | undefined {
  const values = pairs.filter(([name]) => name === '_since').map(([, value]) => value);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw invalid('_since may be given once', '_since');
  const value = values[0]!;
  if (!instantPattern.test(value) || Number.isNaN(Date.parse(value)))
    throw invalid(`_since must be a FHIR instant with a time zone, e.g. 2026-01-01T00:00:00Z`, '_since');
  return value;
}

/**
 * `_typeFilter=Type?query`, repeated or comma-separated (a comma inside a query is sent as
 * %2C, so a comma followed by `Type?` starts the next one). Queries of one type are OR'd.
 */
function typeFiltersOf(
  pairs: [string, string][],
  types: string[] | undefined,
): Map<string, [string, string][][]> {
  const filters = new Map<string, [string, string][][]>();
  const queries = pairs
    .filter(([name]) => name === '_typeFilter')
    .flatMap(([, value]) => value.split(/,(?=[A-Z][A-Za-z]+\?)/));
  for (const query of queries) {
    const [type, search] = splitQuery(query);
    if (types && !types.includes(type))
      throw invalid(`_typeFilter names ${type}, which _type leaves out`, '_typeFilter');
    filters.set(type, [...(filters.get(type) ?? []), [...new URLSearchParams(search)]]);
  }
  return filters;
}

function splitQuery(query: string): [string, string] {
  const at = query.indexOf('?');
  const type = at < 0 ? query : query.slice(0, at);
  if (at < 0 || !isResourceType(type))
    throw invalid(`_typeFilter must be Type?search-parameters, not ${query}`, '_typeFilter');
  const params = new URLSearchParams(query.slice(at + 1));
  for (const [name] of params)
    if (['_count', '_offset', '_sort', '_include', '_revinclude', '_elements', '_summary'].includes(name))
      throw invalid(`_typeFilter may not use ${name}`, '_typeFilter');
  return [type, query.slice(at + 1)];
}
