import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { Clock } from '../../kernel/clock.ts';
import { ThroughlineError } from '../../kernel/errors.ts';
import type { FhirRepository } from '../../store/index.ts';
import { criteriaOf } from '../subscriptions/subscription-model.ts';

/** A batch extract: a search (`Observation?status=final`), the folder it goes to, the file's name. */
export interface ExtractRequest {
  criteria: string;
  folder: string;
  name: string;
}

export interface ExtractDeps {
  /** The store scoped to whoever the extract runs for: it holds only what they may read. */
  repository: FhirRepository;
  clock: Clock;
}

const PAGE = 500;

/**
 * The batch connector (issue 17, "once or twice a day"): every resource the search finds, one
 * JSON per line (ndjson), written to a hidden partial file and renamed when complete — a
 * reader of the folder sees the whole extract or none of it, never half. Pages by id
 * (`after`), so a large extract reads each row once.
 */
export async function writeExtract(
  deps: ExtractDeps,
  request: ExtractRequest,
): Promise<{ file: string; count: number }> {
  if (!/^[\w.-]{1,100}$/.test(request.name))
    throw new ThroughlineError(
      'INVALID_REQUEST',
      'an extract name is letters, digits, dot, dash, underscore',
      { expression: 'name' },
    );
  const { resourceType, params } = criteriaOf({ criteria: request.criteria });
  const stamp = deps.clock.now().toISOString().replace(/[:.]/g, '-');
  const file = join(request.folder, `${request.name}-${stamp}.ndjson`);
  const partial = join(request.folder, `.${request.name}-${stamp}.ndjson.partial`);
  await mkdir(request.folder, { recursive: true });
  const handle = await open(partial, 'w');
  let count = 0;
  try {
    count = await writePages(deps.repository, { resourceType, params, handle });
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  return { file, count };
}

/** Every page of the search into the file; how many resources were written. */
async function writePages(
  repository: FhirRepository,
  run: { resourceType: string; params: [string, string][]; handle: FileHandle },
): Promise<number> {
  let count = 0;
  for (let after: string | undefined; ;) {
    const bundle = await repository.search({
      resourceType: run.resourceType,
      params: [...run.params, ['_count', String(PAGE)]],
      after,
      // A misspelt parameter must fail, not extract every resource of the type.
      strict: true,
    });
    const page = (bundle.entry ?? [])
      .filter((entry) => entry.search?.mode !== 'include')
      .map((entry) => entry.resource as Resource);
    if (page.length > 0)
      await run.handle.write(page.map((resource) => `${JSON.stringify(resource)}\n`).join(''));
    count += page.length;
    if (page.length < PAGE) return count;
    after = page[page.length - 1]!.id;
  }
}
