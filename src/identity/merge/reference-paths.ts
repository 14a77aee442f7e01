/**
 * Finding and re-pointing references to one patient inside any resource. Merge records the
 * exact paths it changed, so un-merge can put back precisely those and nothing else.
 */
export type JsonPath = (string | number)[];

/** Paths of every `reference` property whose value is `target` (e.g. `Patient/123`). */
export function findReferencePaths(value: unknown, target: string, path: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findReferencePaths(item, target, [...path, index]));
  }
  if (value === null || typeof value !== 'object') return [];
  const found: JsonPath[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && child === target) found.push([...path, key]);
    else if (typeof child === 'object') found.push(...findReferencePaths(child, target, [...path, key]));
  }
  return found;
}

/** A reference change: from one patient (`Patient/123`) to another. */
export interface Repoint {
  from: string;
  to: string;
}

/** Sets each path whose current value is `from` to `to`; returns how many changed. */
export function repointReferences(resource: object, paths: JsonPath[], { from, to }: Repoint): number {
  let changed = 0;
  for (const path of paths) {
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], resource);
    const last = path[path.length - 1] as string;
    const holder = parent as Record<string, unknown> | undefined;
    if (holder && holder[last] === from) {
      holder[last] = to;
      changed++;
    }
  }
  return changed;
}
