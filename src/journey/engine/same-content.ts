import type { Resource } from '@medplum/fhirtypes';

/** Same resource content, ignoring `id`, `meta` and key order (the store may reorder keys). */
export function sameContent(desired: Resource, stored: Resource): boolean {
  const { id: _id, meta: _meta, ...left } = desired as Resource & { id?: string };
  const { id: _storedId, meta: _storedMeta, ...right } = stored as Resource & { id?: string };
  return canonical(left) === canonical(right);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, node: unknown) =>
    node && typeof node === 'object' && !Array.isArray(node)
      ? Object.fromEntries(Object.entries(node).sort(([a], [b]) => a.localeCompare(b)))
      : node,
  );
}
