/**
 * Many R4 parameters repeat others for the same type: Observation `combo-code` is
 * `code | component-code`, `patient` is `subject.where(resolve() is Patient)`. Indexing them
 * again would double the index rows of the busiest types, so such a parameter is *derived*:
 * it has no rows of its own and queries read its sources' rows (restricted to a target type
 * for `resolve() is T`).
 */
export interface ParamSource {
  code: string;
  /** Only references to this type count (`.where(resolve() is Patient)`). */
  targetType?: string;
}

export interface BranchedParam {
  code: string;
  type: string | undefined;
  /** Normalized top-level branches of the expression for one resource type. */
  branches: string[];
}

const resolveIs = /^(.*)\.where\(resolve\(\) is ([A-Za-z]+)\)$/;

export function normalizeBranch(branch: string): string {
  let text = branch.trim().replace(/\s+/g, ' ');
  while (text.startsWith('(') && text.endsWith(')') && !text.slice(1, -1).includes('('))
    text = text.slice(1, -1).trim();
  return text;
}

/** Sources of each derived parameter; parameters not in the map are indexed themselves. */
export function findDerivedParams(params: BranchedParam[]): Map<string, ParamSource[]> {
  const derived = new Map<string, ParamSource[]>();
  const real: BranchedParam[] = [];
  // Fewest branches first, restricted (`resolve() is`) ones after the plain ones they derive from.
  const restricted = (param: BranchedParam): number =>
    param.branches.some((b) => resolveIs.test(b)) ? 1 : 0;
  const ordered = [...params].sort(
    (a, b) =>
      a.branches.length - b.branches.length || restricted(a) - restricted(b) || a.code.localeCompare(b.code),
  );
  for (const param of ordered) {
    const sources = param.branches.length > 0 ? coverBy(param, real) : undefined;
    if (sources) derived.set(param.code, sources);
    else real.push(param);
  }
  return derived;
}

function coverBy(param: BranchedParam, real: BranchedParam[]): ParamSource[] | undefined {
  const sources: ParamSource[] = [];
  const covered = new Set<string>();
  const wanted = new Set(param.branches);
  for (const candidate of real) {
    if (candidate.type !== param.type) continue;
    if (candidate.branches.every((branch) => wanted.has(branch))) {
      sources.push({ code: candidate.code });
      for (const branch of candidate.branches) covered.add(branch);
    }
  }
  for (const branch of param.branches) {
    if (covered.has(branch)) continue;
    const match = resolveIs.exec(branch);
    const base =
      match &&
      real.find((c) => c.type === param.type && c.branches.length === 1 && c.branches[0] === match[1]);
    if (!base || !match) return undefined;
    sources.push({ code: base.code, targetType: match[2] });
    covered.add(branch);
  }
  return covered.size === wanted.size ? sources : undefined;
}
