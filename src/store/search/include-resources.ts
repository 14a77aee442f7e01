import type { Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import { searchParamsFor } from './search-params.ts';
import { searchLimits } from './search-limits.ts';
import type { IncludeSpec, ParsedSearch } from './search-request.ts';

/** `:iterate` follows includes of included resources; bounded so a cycle cannot run away. */
const { maxIncludeIterations, maxIncludedPerPage } = searchLimits;

interface Row {
  resource_type: string;
  id: string;
  content: string;
}

const includeSql = `SELECT DISTINCT t.resource_type, t.id, t.content FROM search_reference x
  JOIN resource t ON t.resource_type = x.target_type AND t.id = x.target_id AND NOT t.deleted
  WHERE x.resource_type = $1 AND x.id = ANY($2::text[])
    AND ($3::text[] IS NULL OR x.code = ANY($3)) AND ($4::text IS NULL OR x.target_type = $4)
  ORDER BY t.resource_type, t.id LIMIT $5`;

const revincludeSql = `SELECT DISTINCT t.resource_type, t.id, t.content FROM search_reference x
  JOIN resource t ON t.resource_type = x.resource_type AND t.id = x.id AND NOT t.deleted
  WHERE x.target_type = $1 AND x.target_id = ANY($2::text[])
    AND ($3::text IS NULL OR x.resource_type = $3) AND ($4::text[] IS NULL OR x.code = ANY($4))
    AND ($5::text IS NULL OR x.target_type = $5)
  ORDER BY t.resource_type, t.id LIMIT $6`;

export interface Included {
  resources: Resource[];
  /** More would have been included than `maxIncludedPerPage`: the page holds the first ones only. */
  truncated: boolean;
}

/**
 * `_include` and `_revinclude` for one page of matches: the resources they reference (or that
 * reference them) through the named reference parameter, each once, never repeating a match.
 * At most `maxIncludedPerPage` of them, over at most `maxIncludeIterations` `:iterate` rounds:
 * each query asks only for what is left of that budget.
 */
export async function findIncludes(
  db: SqlExecutor,
  parsed: ParsedSearch,
  matches: Resource[],
): Promise<Included> {
  const seen = new Set(matches.map(keyOf));
  const included: Resource[] = [];
  let sources = matches;
  for (let round = 0; round <= maxIncludeIterations && sources.length > 0; round++) {
    const queries = queriesOf(parsed, round);
    if (queries.length === 0) break;
    const next: Resource[] = [];
    for (const [sourceType, ids] of groupByType(sources)) {
      for (const query of queries) {
        // One more than the budget left tells a cut page from a full one.
        const limit = maxIncludedPerPage - included.length + 1;
        const found = await runInclude(db, { ...query, sourceType, ids, limit });
        const fresh = found.filter((resource) => !seen.has(keyOf(resource)));
        for (const resource of fresh) seen.add(keyOf(resource));
        included.push(...fresh);
        next.push(...fresh);
        // The query reached its limit: rows past it (some possibly new) were never read.
        if (included.length > maxIncludedPerPage || found.length >= limit)
          return { resources: included.slice(0, maxIncludedPerPage), truncated: true };
      }
    }
    sources = next;
  }
  return { resources: included, truncated: false };
}

type Query = { spec: IncludeSpec; sql: string; kind: 'include' | 'rev' };

/** The first round runs every include; later rounds only the `:iterate` ones. */
function queriesOf(parsed: ParsedSearch, round: number): Query[] {
  const wanted = (spec: IncludeSpec) => round === 0 || spec.iterate;
  return [
    ...parsed.include.filter(wanted).map((spec) => ({ spec, sql: includeSql, kind: 'include' as const })),
    ...parsed.revinclude.filter(wanted).map((spec) => ({ spec, sql: revincludeSql, kind: 'rev' as const })),
  ];
}

const keyOf = (resource: Resource) => `${resource.resourceType}/${resource.id}`;

async function runInclude(
  db: SqlExecutor,
  query: Query & { sourceType: string; ids: string[]; limit: number },
): Promise<Resource[]> {
  const { spec, sql, kind, sourceType, ids, limit } = query;
  // _include's source type is the resource that holds the reference; _revinclude's is the referrer.
  if (kind === 'include' && spec.sourceType !== '*' && spec.sourceType !== sourceType) return [];
  if (kind === 'rev' && spec.targetType && spec.targetType !== sourceType) return [];
  const rows = rowsOf(spec);
  if (!rows) return [];
  const params =
    kind === 'include'
      ? [sourceType, ids, rows.codes, rows.targetType ?? spec.targetType ?? null, limit]
      : [
          sourceType,
          ids,
          spec.sourceType === '*' ? null : spec.sourceType,
          rows.codes,
          rows.targetType ?? null,
          limit,
        ];
  const result = await db.query<Row>(sql, params);
  return result.rows.map((row) => JSON.parse(row.content) as Resource);
}

/**
 * Index codes of the include's parameter: a derived one (`Observation:patient`) reads its
 * sources' rows and their target type; undefined when that contradicts the asked target type.
 */
function rowsOf(spec: IncludeSpec): { codes: string[] | null; targetType?: string } | undefined {
  if (!spec.code) return { codes: null };
  const sources = searchParamsFor(spec.sourceType).byCode.get(spec.code)?.sources ?? [{ code: spec.code }];
  const restricted = new Set(sources.map((source) => source.targetType));
  const targetType = restricted.size === 1 ? [...restricted][0] : undefined;
  if (targetType && spec.targetType && targetType !== spec.targetType) return undefined;
  return { codes: sources.map((source) => source.code), targetType };
}

function groupByType(resources: Resource[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const resource of resources) {
    const ids = groups.get(resource.resourceType) ?? [];
    ids.push(resource.id as string);
    groups.set(resource.resourceType, ids);
  }
  return groups;
}
