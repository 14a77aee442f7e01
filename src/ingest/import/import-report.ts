/** What happened to one resource write during import. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ImportError {
  file: string;
  /** The OperationOutcome issue's diagnostics. */
  message: string;
  /** The issue's FHIRPath expression, e.g. `Bundle.entry[3].resource.status`, or `line 17`. */
  expression?: string;
}

export interface ImportReport {
  files: number;
  failedFiles: string[];
  /** Resources written or found unchanged, by resource type. */
  byType: Record<string, number>;
  outcomes: Record<WriteOutcome, number>;
  errors: ImportError[];
  elapsedMs: number;
}

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  resources: number;
  elapsedMs: number;
}

export function emptyReport(files: number): ImportReport {
  return {
    files,
    failedFiles: [],
    byType: {},
    outcomes: { created: 0, updated: 0, unchanged: 0, skipped: 0 },
    errors: [],
    elapsedMs: 0,
  };
}

/** Resources processed (written or unchanged), the figure resources/s is measured on. */
export function resourcesDone(report: ImportReport): number {
  return report.outcomes.created + report.outcomes.updated + report.outcomes.unchanged;
}

export function recordWrite(report: ImportReport, resourceType: string, outcome: WriteOutcome): void {
  report.outcomes[outcome]++;
  if (outcome !== 'skipped') report.byType[resourceType] = (report.byType[resourceType] ?? 0) + 1;
}

export function recordFailure(report: ImportReport, file: string, errors: Omit<ImportError, 'file'>[]): void {
  if (!report.failedFiles.includes(file)) report.failedFiles.push(file);
  for (const error of errors) report.errors.push({ file, ...error });
}

/** The summary the CLI prints: counts by type, outcomes, rate, and every error by file. */
export function formatReport(report: ImportReport): string {
  const seconds = report.elapsedMs / 1000;
  const done = resourcesDone(report);
  const lines = [
    `${report.files} file(s), ${done} resource(s) in ${seconds.toFixed(1)} s (${Math.round(done / Math.max(seconds, 0.001))} resources/s)`,
    `created ${report.outcomes.created}, updated ${report.outcomes.updated}, unchanged ${report.outcomes.unchanged}, skipped ${report.outcomes.skipped}`,
    ...Object.entries(report.byType)
      .sort(([, a], [, b]) => b - a)
      .map(([type, count]) => `  ${type.padEnd(28)} ${String(count).padStart(8)}`),
  ];
  if (report.failedFiles.length > 0) {
    lines.push(`${report.failedFiles.length} file(s) failed:`);
    for (const file of report.failedFiles) {
      lines.push(`  ${file}`);
      for (const error of report.errors.filter((e) => e.file === file)) {
        lines.push(`    - ${error.message}${error.expression ? ` (at ${error.expression})` : ''}`);
      }
    }
  }
  return lines.join('\n');
}
