import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { readFile } from 'node:fs/promises';
import { ThroughlineError } from '../../kernel/errors.ts';
import { parseUntrustedJson } from '../../kernel/safe-json.ts';
import { recordFailure, recordWrite, type WriteOutcome } from './import-report.ts';
import { errorsOf, errorsOfOutcome, type ImportRun } from './import-run.ts';
import { prepareBundle, type PreparedBundle } from './prepare-bundle.ts';
import { stableId } from './stable-id.ts';
import { retryUnavailable } from './retry-unavailable.ts';

/**
 * Reads and parses one .json file; a parse failure, nesting deeper than `maxDepth` or a
 * prototype key (`__proto__`, `constructor`, `prototype`) is a coded error.
 */
export async function readJsonResource(file: string, maxDepth: number): Promise<Resource> {
  const value = parseUntrustedJson(await readFile(file, 'utf8'), { maxDepth });
  if (typeof value !== 'object' || value === null || typeof (value as Resource).resourceType !== 'string') {
    throw new ThroughlineError('INVALID_RESOURCE', 'Not a FHIR resource (no resourceType)', {
      expression: 'resourceType',
    });
  }
  return value as Resource;
}

export function isRequestBundle(resource: Resource): resource is Bundle {
  return resource.resourceType === 'Bundle' && (resource.type === 'transaction' || resource.type === 'batch');
}

/**
 * Loads one .json file. Transaction and batch Bundles are processed (transaction: all or
 * nothing) unless the run stores Bundles as they are; any other resource — including document
 * or collection Bundles — is stored as it is, under its own id or a stable one from its content.
 */
export function planJsonFile(run: ImportRun, file: string, resource: Resource): () => Promise<void> {
  if (!isRequestBundle(resource) || run.storeBundles) return () => importOne(run, file, resource);
  const prepared = prepareBundle(resource, run.claimed);
  run.report.outcomes.skipped += prepared.skipped;
  return () => importBundle(run, file, prepared);
}

async function importOne(run: ImportRun, file: string, resource: Resource): Promise<void> {
  const withId = resource.id
    ? resource
    : ({ ...resource, id: stableId(JSON.stringify(resource)) } as Resource);
  try {
    const [result] = await retryUnavailable(file, run.retry, () => run.repository.importResources([withId]));
    if (result)
      recordWrite(
        run.report,
        resource.resourceType,
        result.outcome === 'existing' ? 'unchanged' : result.outcome,
      );
  } catch (error) {
    recordFailure(run.report, file, errorsOf(error));
  }
}

async function importBundle(run: ImportRun, file: string, prepared: PreparedBundle): Promise<void> {
  if ((prepared.bundle.entry ?? []).length === 0) return;
  let response: Bundle;
  try {
    response = await retryUnavailable(file, run.retry, () => run.repository.processBundle(prepared.bundle));
  } catch (error) {
    for (const key of prepared.claimed) run.claimed.delete(key);
    recordFailure(
      run.report,
      file,
      errorsOf(error).map((e) => ({ ...e, expression: originalExpression(e.expression, prepared) })),
    );
    return;
  }
  for (const [index, entry] of (response.entry ?? []).entries()) {
    const outcome = entry.response?.outcome;
    if (outcome?.resourceType === 'OperationOutcome' && !/^2/.test(entry.response?.status ?? '')) {
      const where = `Bundle.entry[${prepared.originalIndex[index]}]`;
      recordFailure(
        run.report,
        file,
        errorsOfOutcome(outcome, `Entry failed (${entry.response?.status})`).map((e) => ({
          ...e,
          expression: e.expression ?? where,
        })),
      );
      continue;
    }
    const classified = classify(run, entry);
    if (classified) recordWrite(run.report, classified.resourceType, classified.outcome);
  }
}

/** 201 → created; 200 → updated, or unchanged when the stored version predates this run. */
function classify(
  run: ImportRun,
  entry: BundleEntry,
): { resourceType: string; outcome: WriteOutcome } | undefined {
  const status = entry.response?.status ?? '';
  const resourceType = entry.resource?.resourceType ?? entry.response?.location?.split('/')[0];
  if (!resourceType || status.startsWith('204')) return undefined;
  if (status.startsWith('201')) return { resourceType, outcome: 'created' };
  const modified = entry.response?.lastModified ?? entry.resource?.meta?.lastUpdated ?? '';
  return { resourceType, outcome: modified && modified < run.startedAt ? 'unchanged' : 'updated' };
}

/** `Bundle.entry[3]…` of the prepared bundle → the same path with the file's own entry index. */
function originalExpression(expression: string | undefined, prepared: PreparedBundle): string | undefined {
  return expression?.replace(
    /^Bundle\.entry\[(\d+)\]/,
    (_, index: string) => `Bundle.entry[${prepared.originalIndex[Number(index)] ?? index}]`,
  );
}
