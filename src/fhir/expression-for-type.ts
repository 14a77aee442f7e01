/**
 * R4 SearchParameter expressions are shared across types, e.g. `code` is
 * `AllergyIntolerance.code | … | Observation.code | …`. Evaluating the whole union for every
 * resource is ~20× slower than evaluating the one branch that can match, so callers keep only
 * the top-level `|` branches that start with the resource type being evaluated.
 */
export function expressionForType(expression: string, resourceType: string): string | undefined {
  const branches = splitTopLevelUnion(expression).filter((branch) => startsWithType(branch, resourceType));
  return branches.length > 0 ? branches.join(' | ') : undefined;
}

function startsWithType(branch: string, resourceType: string): boolean {
  const trimmed = branch.trim().replace(/^\(+/, '');
  return trimmed.startsWith(`${resourceType}.`) || trimmed === resourceType;
}

/** Splits on `|` outside parentheses and string literals. */
export function splitTopLevelUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}
