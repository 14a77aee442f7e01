import { systemClock } from '../kernel/clock.ts';
import { silentLogger } from '../kernel/logger.ts';
import type { FhirRepository, SqlDatabase } from '../store/index.ts';
import { parseArgs } from 'node:util';
import { parseConfig } from '../kernel/config.ts';
import {
  findImportFiles,
  formatReport,
  importFiles,
  importHl7Files,
  openPlatformRepository,
  type ImportProgress,
  type ImportRetry,
} from '../ingest/index.ts';

const usage = `usage: throughline import [--concurrency N] [--store-bundles] <file or folder>…

Loads FHIR R4 JSON (transaction/batch Bundles, or single resources) and ndjson files; folders
are walked for *.json and *.ndjson. Running it twice on the same files creates nothing new.
  --concurrency N   files in flight at once (default 3)
  --store-bundles   store transaction/batch Bundles as Bundle resources instead of processing
                    them (for example sets, where each file is itself the example)
Exit code 1 if any file failed.`;

function showProgress(progress: ImportProgress): void {
  const rate = Math.round(progress.resources / Math.max(progress.elapsedMs / 1000, 0.001));
  const line = `${progress.resources} resources, ${progress.filesDone}/${progress.filesTotal} files, ${rate} resources/s`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
  else console.error(line);
}

/** `throughline import`: the thin edge over importFiles. */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      concurrency: { type: 'string' },
      'store-bundles': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)) {
    console.error('--concurrency must be an integer between 1 and 32');
    return 2;
  }
  const { files, hl7Files } = byKind(await findImportFiles(positionals));
  const config = parseConfig();
  const { repository, db, close } = await openPlatformRepository(config);
  try {
    const hl7Failed = hl7Files.length > 0 ? await importHl7(db, repository, hl7Files) : false;
    if (files.length === 0) return hl7Failed ? 1 : 0;
    const report = await importFiles(repository, files, {
      concurrency,
      maxJsonDepth: config.maxJsonDepth,
      storeBundles: values['store-bundles'],
      onProgress: showProgress,
      retry: { onRetry: logRetry },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(formatReport(report));
    return report.failedFiles.length > 0 || hl7Failed ? 1 : 0;
  } finally {
    await close();
  }
}

/** FHIR files and HL7 v2 files (`.hl7`), which go through the MLLP pipeline. */
function byKind(all: string[]): { files: string[]; hl7Files: string[] } {
  return {
    files: all.filter((file) => !file.endsWith('.hl7')),
    hl7Files: all.filter((file) => file.endsWith('.hl7')),
  };
}

/** A file the database was unavailable for, tried again: said on stderr, as progress is. */
function logRetry({ file, attempt, attempts, error }: ImportRetry): void {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`\n${file}: database unavailable (${reason}); trying again (${attempt + 1} of ${attempts})`);
}

/** HL7 v2 files go through the same pipeline as MLLP: stored, idempotent, acknowledged. */
async function importHl7(db: SqlDatabase, repository: FhirRepository, files: string[]): Promise<boolean> {
  const report = await importHl7Files({ db, repository, clock: systemClock, logger: silentLogger }, files);
  console.log(
    `HL7 v2: ${report.messages} messages from ${files.length} files: ${JSON.stringify(report.byStatus)}`,
  );
  for (const failure of report.failures)
    console.log(`  ${failure.file} ${failure.controlId ?? ''}: ${failure.reason}`);
  return report.failures.length > 0;
}
