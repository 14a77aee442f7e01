import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import type { TypePlan } from './export-plan.ts';
import type { FinishedType } from './export-status.ts';
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
  /** Called when a type is finished, its file closed: the job records it before going on. */
  onTypeDone(index: number, finished: FinishedType): Promise<void>;
}

/**
 * Types exported at once: while one type's page is parsed out of PostgreSQL's answer and written,
 * another's query runs in the database (on the embedded database they simply take turns).
 */
const typesAtOnce = 2;

/**
 * Writes one ndjson file per type with resources, and an OperationOutcome file for types refused.
 * Types already `finished` (by a process that stopped before the export ended) keep their files.
 */
export async function runExport(
  run: RunExport,
  input: { plans: TypePlan[]; finished: Record<string, FinishedType> },
): Promise<{ output: ExportFile[]; error: ExportFile[] }> {
  const finished = { ...input.finished };
  const { plans } = input;
  const progress = startingProgress(Object.values(finished));
  const queue = plans.map((_, index) => index).filter((index) => !finished[index]);
  const wrote = (n: number) => run.onProgress({ ...progress, resources: (progress.resources += n) });
  const worker = async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      // A failed type ends the export: the other worker takes no further type.
      const done = await exportPlan(run, plans[index]!, wrote).catch((error: unknown) => {
        queue.length = 0;
        throw error;
      });
      finished[index] = done;
      await run.onTypeDone(index, done);
      progress.typesDone++;
    }
  };
  await Promise.all(Array.from({ length: typesAtOnce }, worker));
  run.onProgress(progress);
  // The manifest lists files in the order of the plan, whichever finished first.
  const ended = plans.map((_, index) => finished[index] ?? {});
  const refused = plans.flatMap((plan, index) => {
    const refusal = finished[index]?.refusal;
    return refusal === undefined ? [] : [refusalOf(plan.resourceType, refusal)];
  });
  return {
    output: ended.flatMap((each) => (each.file ? [each.file] : [])),
    error: await writeErrors(run.dir, refused),
  };
}

function startingProgress(finished: FinishedType[]): { resources: number; typesDone: number } {
  return {
    resources: finished.reduce((sum, each) => sum + (each.file?.count ?? 0), 0),
    typesDone: finished.length,
  };
}

/** One type: its file (none when empty), or the refusal a type named in `_type` gets. */
async function exportPlan(run: RunExport, plan: TypePlan, wrote: (n: number) => void): Promise<FinishedType> {
  const name = `${plan.resourceType}.ndjson`;
  try {
    const count = await exportType(run, plan, wrote);
    if (count > 0) return { file: { type: plan.resourceType, name, count } };
    await rm(join(run.dir, name), { force: true });
  } catch (error) {
    await rm(join(run.dir, name), { force: true });
    if (!(isThroughlineError(error) && error.code === 'FORBIDDEN')) throw error;
    if (plan.explicit) return { refusal: error.message };
  }
  return {};
}

async function exportType(run: RunExport, plan: TypePlan, wrote: (n: number) => void): Promise<number> {
  const file = openNdjson(join(run.dir, `${plan.resourceType}.ndjson`));
  // Several `_typeFilter` queries may match one resource: written once. Only then are ids kept.
  const seen = plan.queries.length > 1 ? new Set<string>() : undefined;
  try {
    for (const query of plan.queries)
      for await (const page of pagesOf(run.repository, query, run.signal)) {
        const fresh = seen ? page.filter((row) => !seen.has(row.id) && seen.add(row.id)) : page;
        await file.write(fresh.map((row) => row.content));
        wrote(fresh.length);
      }
  } finally {
    await file.close();
  }
  return file.count;
}

function refusalOf(resourceType: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'forbidden', diagnostics: `${resourceType}: ${message}` }],
  };
}

async function writeErrors(dir: string, outcomes: Resource[]): Promise<ExportFile[]> {
  if (outcomes.length === 0) return [];
  const file = openNdjson(join(dir, 'errors.ndjson'));
  await file.write(outcomes.map((outcome) => JSON.stringify(outcome)));
  await file.close();
  return [{ type: 'OperationOutcome', name: 'errors.ndjson', count: outcomes.length }];
}
