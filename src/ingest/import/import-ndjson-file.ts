import type { Resource } from '@medplum/fhirtypes';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { validateResource } from '../../fhir/validate-resource.ts';
import { parseUntrustedJson } from '../../kernel/safe-json.ts';
import { recordFailure, recordWrite, type ImportError } from './import-report.ts';
import { errorsOf, type ImportRun } from './import-run.ts';
import { stableId } from './stable-id.ts';
import { retryUnavailable } from './retry-unavailable.ts';

/** Each non-blank line of an ndjson file with its 1-based line number. */
async function* lines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

function parseLine(run: ImportRun, text: string): Resource {
  const resource = parseUntrustedJson(text, { maxDepth: run.maxJsonDepth }) as Resource;
  // Bulk-data ndjson carries ids; a line without one gets a stable id from its content.
  return resource.id ? resource : ({ ...resource, id: stableId(text) } as Resource);
}

/** First pass: every problem in the file, by line, before anything is written. */
async function checkFile(run: ImportRun, file: string): Promise<Omit<ImportError, 'file'>[]> {
  const problems: Omit<ImportError, 'file'>[] = [];
  for await (const { line, text } of lines(file)) {
    try {
      validateResource(parseLine(run, text));
    } catch (error) {
      for (const problem of errorsOf(error)) {
        problems.push({
          message: problem.message,
          expression: `line ${line}${problem.expression ? `: ${problem.expression}` : ''}`,
        });
      }
    }
    if (problems.length >= 100) break;
  }
  return problems;
}

async function writeChunk(run: ImportRun, file: string, chunk: Resource[]): Promise<void> {
  const results = await retryUnavailable(file, run.retry, () => run.repository.importResources(chunk));
  for (const result of results) {
    recordWrite(
      run.report,
      result.resource.resourceType,
      result.outcome === 'existing' ? 'unchanged' : result.outcome,
    );
  }
}

/**
 * Loads one .ndjson file (one resource per line, as FHIR Bulk Data exports them) through the
 * repository's bulk path, `chunkSize` resources per transaction. The whole file is validated
 * first, so a bad line rejects the file with nothing written.
 */
export async function importNdjsonFile(run: ImportRun, file: string): Promise<void> {
  const problems = await checkFile(run, file).catch((error: unknown) => errorsOf(error));
  if (problems.length > 0) {
    recordFailure(run.report, file, problems);
    return;
  }
  let chunk: Resource[] = [];
  try {
    for await (const { text } of lines(file)) {
      chunk.push(parseLine(run, text));
      if (chunk.length >= run.chunkSize) {
        await writeChunk(run, file, chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await writeChunk(run, file, chunk);
  } catch (error) {
    recordFailure(run.report, file, errorsOf(error));
  }
}
