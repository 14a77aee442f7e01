import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { TypePlan } from './export-plan.ts';
import { pagesOf } from './stream-resources.ts';
import { openNdjson } from './write-ndjson.ts';

/** A file of the manifest: its type, its name in the job's folder, how many resources it holds. */
export interface ExportFile {
  type: string;
  name: string;
  count: number;
}

export interface RunExport {
  repository: FhirRepository;
  dir: string;
  signal: AbortSignal;
  /** Called after every page: resources written so far, types finished. */
  onProgress(progress: { resources: number; typesDone: number }): void;
}

/** Writes one ndjson file per type with resources, and an OperationOutcome file for types refused. */
export async function runExport(
  run: RunExport,
  plans: TypePlan[],
): Promise<{ output: ExportFile[]; error: ExportFile[] }> {
  const output: ExportFile[] = [];
  const refused: Resource[] = [];
  let resources = 0;
  for (const [done, plan] of plans.entries()) {
    const name = `${plan.resourceType}.ndjson`;
    try {
      const count = await exportType(run, plan, (n) =>
        run.onProgress({ resources: (resources += n), typesDone: done }),
      );
      if (count > 0) output.push({ type: plan.resourceType, name, count });
      else await rm(join(run.dir, name), { force: true });
    } catch (error) {
      await rm(join(run.dir, name), { force: true });
      if (!(isThroughlineError(error) && error.code === 'FORBIDDEN')) throw error;
      if (plan.explicit) refused.push(refusal(plan.resourceType, error.message));
    }
  }
  run.onProgress({ resources, typesDone: plans.length });
  return { output, error: await writeErrors(run.dir, refused) };
}

async function exportType(run: RunExport, plan: TypePlan, wrote: (n: number) => void): Promise<number> {
  const file = openNdjson(join(run.dir, `${plan.resourceType}.ndjson`));
  // Several `_typeFilter` queries may match one resource: written once. Only then are ids kept.
  const seen = plan.queries.length > 1 ? new Set<string>() : undefined;
  try {
    for (const query of plan.queries)
      for await (const page of pagesOf(run.repository, query, run.signal)) {
        const fresh = seen
          ? page.filter((resource) => !seen.has(resource.id!) && seen.add(resource.id!))
          : page;
        await file.write(fresh);
        wrote(fresh.length);
      }
  } finally {
    await file.close();
  }
  return file.count;
}

function refusal(resourceType: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'forbidden', diagnostics: `${resourceType}: ${message}` }],
  };
}

async function writeErrors(dir: string, outcomes: Resource[]): Promise<ExportFile[]> {
  if (outcomes.length === 0) return [];
  const file = openNdjson(join(dir, 'errors.ndjson'));
  await file.write(outcomes);
  await file.close();
  return [{ type: 'OperationOutcome', name: 'errors.ndjson', count: outcomes.length }];
}
