import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ThroughlineError } from '../../kernel/errors.ts';

export const importableExtensions = ['.json', '.ndjson', '.hl7'];

/**
 * Expands the paths given to `import` into the files to load: files as given (they must be
 * .json or .ndjson), folders walked recursively for .json/.ndjson, each folder's files sorted so
 * every run loads them in the same order (the first copy of a shared resource wins).
 */
export async function findImportFiles(
  paths: string[],
  extensions: string[] = importableExtensions,
): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new ThroughlineError('NOT_FOUND', `No such file or folder: ${path}`);
    if (info.isDirectory()) files.push(...(await walk(path, extensions)));
    else if (extensions.includes(extname(path))) files.push(path);
    else
      throw new ThroughlineError(
        'INVALID_REQUEST',
        `${path}: only ${extensions.join(', ')} files can be imported`,
      );
  }
  return files;
}

async function walk(folder: string, extensions: string[]): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, extensions)));
    else if (entry.isFile() && extensions.includes(extname(entry.name))) files.push(path);
  }
  return files;
}
