import type { ExportRequest } from './export-request.ts';

/** One search of a type's export: its parameters, and for a Group the member patients it covers. */
export interface TypeQuery {
  resourceType: string;
  params: [string, string][];
  /** Group export: these patients' compartments only (at most `membersPerQuery`). */
  patients?: string[];
}

export interface TypePlan {
  resourceType: string;
  /** A resource is exported when it matches any of these (`_typeFilter` queries OR). */
  queries: TypeQuery[];
  /** Named in `_type`: a type the caller may not read is an error in the manifest, not skipped. */
  explicit: boolean;
}

/** `_id` takes at most 100 values (store search limits): Group members go in chunks of that. */
export const membersPerQuery = 100;

/**
 * The searches an export runs, per type: the level's types narrowed by `_type`; `_since` as
 * `_lastUpdated=gt…`; each `_typeFilter` query its own search; a Group's members in chunks.
 */
export function planExport(
  request: ExportRequest,
  options: { levelTypes: string[]; members?: string[] },
): TypePlan[] {
  const types = request.types
    ? request.types.filter((type) => options.levelTypes.includes(type))
    : options.levelTypes;
  return types.map((resourceType) => ({
    resourceType,
    explicit: request.types !== undefined,
    queries: queriesOf(request, { resourceType, members: options.members }),
  }));
}

function queriesOf(
  request: ExportRequest,
  target: { resourceType: string; members?: string[] },
): TypeQuery[] {
  const { resourceType, members } = target;
  const since: [string, string][] = request.since ? [['_lastUpdated', `gt${request.since}`]] : [];
  const filters = request.typeFilters.get(resourceType) ?? [[]];
  const searches = filters.map((filter) => [...filter, ...since]);
  if (!members) return searches.map((params) => ({ resourceType, params }));
  return chunksOf(members).flatMap((patients) =>
    searches.map((params) =>
      // A Patient is a member by id; the compartment would also take in records linking to it.
      resourceType === 'Patient'
        ? { resourceType, params: [...params, ['_id', patients.join(',')] as [string, string]] }
        : { resourceType, params, patients },
    ),
  );
}

function chunksOf(ids: string[]): string[][] {
  const chunks: string[][] = [];
  for (let at = 0; at < ids.length; at += membersPerQuery) chunks.push(ids.slice(at, at + membersPerQuery));
  return chunks;
}
