import type { FhirRepository } from '../../store/index.ts';
import { DEFAULT_MAX_JSON_DEPTH } from '../../kernel/safe-json.ts';
import { extname } from 'node:path';
import {
  emptyReport,
  recordFailure,
  resourcesDone,
  type ImportProgress,
  type ImportReport,
} from './import-report.ts';
import { errorsOf, type ImportRun } from './import-run.ts';
import { planJsonFile, readJsonResource } from './import-json-file.ts';
import { importNdjsonFile } from './import-ndjson-file.ts';
import { runPlannedInOrder } from './run-in-order.ts';
import type { RetryPolicy } from './retry-unavailable.ts';

export interface ImportOptions {
  /** Files in flight at once. Two or three keep both the database and this process busy. */
  concurrency?: number;
  /** Resources per bulk write for ndjson. */
  chunkSize?: number;
  /**
   * Store transaction/batch Bundles as Bundle resources rather than processing them: for
   * example sets such as the FHIR specification's, where a Bundle file is itself the example.
   */
  storeBundles?: boolean;
  /** Deepest JSON nesting accepted (the `MAX_JSON_DEPTH` setting; 64 by default). */
  maxJsonDepth?: number;
  onProgress?: (progress: ImportProgress) => void;
  progressIntervalMs?: number;
  /** A file's write that found the database unavailable is tried again (3 tries by default). */
  retry?: RetryPolicy;
}

/**
 * The `import` use case: loads FHIR JSON files (transaction/batch Bundles or single resources)
 * and ndjson files through the store's one write path, a few files in flight at once, and
 * reports counts by type and every error by file. Safe to run twice: see prepareBundle.
 */
export async function importFiles(
  repository: FhirRepository,
  files: string[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = Date.now();
  const run: ImportRun = {
    repository,
    report: emptyReport(files.length),
    claimed: new Set(),
    startedAt: new Date(started).toISOString(),
    chunkSize: options.chunkSize ?? 1000,
    storeBundles: options.storeBundles ?? false,
    maxJsonDepth: options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH,
    retry: options.retry ?? {},
  };
  let filesDone = 0;
  const progress = () =>
    options.onProgress?.({
      filesDone,
      filesTotal: files.length,
      resources: resourcesDone(run.report),
      elapsedMs: Date.now() - started,
    });
  const timer = options.onProgress ? setInterval(progress, options.progressIntervalMs ?? 1000) : undefined;
  try {
    const plan = (file: string) => planFile(run, file);
    await runPlannedInOrder(files, {
      plan,
      concurrency: options.concurrency ?? 3,
      onDone: () => filesDone++,
    });
  } finally {
    if (timer) clearInterval(timer);
  }
  // A bulk load changes table sizes by orders of magnitude: refresh the planner's statistics so
  // the first searches after an import are planned for the data that is there now.
  if (resourcesDone(run.report) > 0) await repository.refreshStatistics();
  run.report.elapsedMs = Date.now() - started;
  progress();
  return run.report;
}

async function planFile(run: ImportRun, file: string): Promise<() => Promise<void>> {
  if (extname(file) === '.ndjson') return () => importNdjsonFile(run, file);
  try {
    return planJsonFile(run, file, await readJsonResource(file, run.maxJsonDepth));
  } catch (error) {
    return async () => recordFailure(run.report, file, errorsOf(error));
  }
}
