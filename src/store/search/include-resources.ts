import type { Resource } from '@medplum/fhirtypes';
import type { SqlExecutor } from '../sql/database.ts';
import { searchParamsFor } from './search-params.ts';
import type { IncludeSpec, ParsedSearch } from './search-request.ts';

/** `:iterate` follows includes of included resources; bounded so a cycle cannot run away. */
const maxIterations = 3;

interface Row {
  resource_type: string;
  id: string;
  content: string;
}

const includeSql = `SELECT DISTINCT t.resource_type, t.id, t.content FROM search_reference x
  JOIN resource t ON t.resource_type = x.target_type AND t.id = x.target_id AND NOT t.deleted
  WHERE x.resource_type = $1 AND x.id = ANY($2::text[])
    AND ($3::text[] IS NULL OR x.code = ANY($3)) AND ($4::text IS NULL OR x.target_type = $4)`;

const revincludeSql = `SELECT DISTINCT t.resource_type, t.id, t.content FROM search_reference x
  JOIN resource t ON t.resource_type = x.resource_type AND t.id = x.id AND NOT t.deleted
  WHERE x.target_type = $1 AND x.target_id = ANY($2::text[])
    AND ($3::text IS NULL OR x.resource_type = $3) AND ($4::text[] IS NULL OR x.code = ANY($4))
    AND ($5::text IS NULL OR x.target_type = $5)`;

/**
 * `_include` and `_revinclude` for one page of matches: the resources they reference (or that
 * reference them) through the named reference parameter, each once, never repeating a match.
 */
export async function findIncludes(
  db: SqlExecutor,
  parsed: ParsedSearch,
  matches: Resource[],
): Promise<Resource[]> {
  const seen = new Set(matches.map((resource) => `${resource.resourceType}/${resource.id}`));
  const included: Resource[] = [];
  let sources = matches;
  for (let round = 0; round <= maxIterations && sources.length > 0; round++) {
    const include = parsed.include.filter((spec) => round === 0 || spec.iterate);
    const revinclude = parsed.revinclude.filter((spec) => round === 0 || spec.iterate);
    if (include.length + revinclude.length === 0) break;
    const found: Resource[] = [];
    for (const [type, ids] of groupByType(sources)) {
      for (const spec of include)
        found.push(...(await runInclude(db, includeSql, spec, type, ids, 'include')));
      for (const spec of revinclude)
        found.push(...(await runInclude(db, revincludeSql, spec, type, ids, 'rev')));
    }
    sources = found.filter((resource) => {
      const key = `${resource.resourceType}/${resource.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    included.push(...sources);
  }
  return included;
}

async function runInclude(
  db: SqlExecutor,
  sql: string,
  spec: IncludeSpec,
  sourceType: string,
  ids: string[],
  kind: 'include' | 'rev',
): Promise<Resource[]> {
  // _include's source type is the resource that holds the reference; _revinclude's is the referrer.
  if (kind === 'include' && spec.sourceType !== '*' && spec.sourceType !== sourceType) return [];
  if (kind === 'rev' && spec.targetType && spec.targetType !== sourceType) return [];
  const rows = rowsOf(spec);
  if (!rows) return [];
  const params =
    kind === 'include'
      ? [sourceType, ids, rows.codes, rows.targetType ?? spec.targetType ?? null]
      : [
          sourceType,
          ids,
          spec.sourceType === '*' ? null : spec.sourceType,
          rows.codes,
          rows.targetType ?? null,
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
