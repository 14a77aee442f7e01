import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * The shared data folders (`../shared/data` from the project root) exist in CI, not on a user's
 * machine: callers skip with `missingReason` when a folder is absent.
 */
export const sharedData = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

export function missingReason(folder: string): string | undefined {
  return existsSync(sharedData + folder)
    ? undefined
    : `${sharedData + folder} is absent: shared FHIR data not available`;
}

/** Resources of Synthea transaction bundles, `urn:uuid:` references rewritten to `Type/id`. */
export function readSyntheaResources(limitFiles: number): Resource[] {
  const folder = `${sharedData}synthea/dev/`;
  const out: Resource[] = [];
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .slice(0, limitFiles)) {
    const entries = (JSON.parse(readFileSync(folder + file, 'utf8')) as Bundle).entry ?? [];
    const local = new Map<string, string>();
    for (const entry of entries) {
      const resource = entry.resource as Resource;
      const id = resource.id ?? entry.fullUrl?.replace('urn:uuid:', '');
      if (entry.fullUrl) local.set(entry.fullUrl, `${resource.resourceType}/${id}`);
    }
    const text = JSON.stringify(
      entries.map((entry) => ({ ...entry.resource, id: local.get(entry.fullUrl ?? '')?.split('/')[1] })),
    );
    const rewritten = text.replace(/"(urn:uuid:[0-9a-f-]{36})"/g, (whole, url: string) =>
      local.has(url) ? `"${local.get(url)}"` : whole,
    );
    out.push(...(JSON.parse(rewritten) as Resource[]));
  }
  // Provider bundles repeat organizations and practitioners: keep one of each.
  return [...new Map(out.map((resource) => [`${resource.resourceType}/${resource.id}`, resource])).values()];
}
