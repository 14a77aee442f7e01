import type { OperationOutcome } from '@medplum/fhirtypes';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { outcomeOf } from '../../store/index.ts';
import type { ImportError, ImportReport } from './import-report.ts';
import type { RetryPolicy } from './retry-unavailable.ts';

/** State shared by every file of one `import` run. */
export interface ImportRun {
  repository: FhirRepository;
  report: ImportReport;
  /** `Type/id` created by a file of this run (see prepareBundle). */
  claimed: Set<string>;
  /** When the run started: a 200 whose lastModified is older was an unchanged resource. */
  startedAt: string;
  /** Resources per importResources call for ndjson. */
  chunkSize: number;
  /** Store transaction/batch Bundles as Bundle resources instead of processing them (example sets). */
  storeBundles: boolean;
  /** Deepest JSON nesting a file (or an ndjson line) may have (`MAX_JSON_DEPTH`). */
  maxJsonDepth: number;
  /** A write the database was unavailable for is tried again (`retryUnavailable`). */
  retry: RetryPolicy;
}

/** Every issue of an OperationOutcome as report errors (diagnostics and first expression). */
export function errorsOfOutcome(
  outcome: OperationOutcome | undefined,
  fallback: string,
): Omit<ImportError, 'file'>[] {
  const issues = outcome?.issue ?? [];
  if (issues.length === 0) return [{ message: fallback }];
  return issues.map((issue) => ({
    message: issue.diagnostics ?? issue.details?.text ?? fallback,
    expression: issue.expression?.[0],
  }));
}

/** A failure as report errors: coded errors through their OperationOutcome, anything else by message. */
export function errorsOf(error: unknown): Omit<ImportError, 'file'>[] {
  if (isThroughlineError(error)) return errorsOfOutcome(outcomeOf(error), error.message);
  return [{ message: error instanceof Error ? error.message : String(error) }];
}
