import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FhirRepository } from '../../store/index.ts';
import { extractLines, type RowCount } from './extract-lines.ts';
import { extractFileName, type ExtractSpec } from './extract-spec.ts';
import { writeAtomically } from './write-atomically.ts';

/** What an extract wrote: the file, its rows and bytes; `existing` when an earlier attempt had. */
export interface ExtractWritten {
  file: string;
  rows?: number;
  bytes: number;
  existing?: boolean;
}

export interface ExtractRequest {
  spec: ExtractSpec;
  /** The folder it goes to (already resolved inside the extract folder). */
  folder: string;
  /** The occurrence it is for: the file's name carries it. */
  occurrence: string;
}

/**
 * The batch connector (issue 17, "once or twice a day"): every resource the search finds, as
 * ndjson or CSV, written then renamed (`write-atomically.ts`). One file per occurrence: when the
 * file is already there — an attempt that wrote it and died before its run was recorded — it
 * is kept, not written again, so a reader that took it is not handed the same extract twice.
 */
export async function writeExtract(
  repository: FhirRepository,
  request: ExtractRequest,
): Promise<ExtractWritten> {
  const name = extractFileName(request.spec, request.occurrence);
  const file = join(request.folder, name);
  const found = await stat(file).catch(missingFile);
  if (found) return { file, bytes: found.size, existing: true };
  const count: RowCount = { rows: 0 };
  const written = await writeAtomically(
    { folder: request.folder, name },
    extractLines(repository, { spec: request.spec, count }),
  );
  return { ...written, rows: count.rows };
}

/** What the extract would write, computed and not written (the dry run). */
export async function measureExtract(
  repository: FhirRepository,
  spec: ExtractSpec,
): Promise<{ rows: number; bytes: number }> {
  const count: RowCount = { rows: 0 };
  let bytes = 0;
  for await (const chunk of extractLines(repository, { spec, count })) bytes += Buffer.byteLength(chunk);
  return { rows: count.rows, bytes };
}

function missingFile(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
