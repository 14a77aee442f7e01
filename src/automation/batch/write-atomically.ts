import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a file goes: its folder and its final name. */
export interface AtomicTarget {
  folder: string;
  name: string;
}

/** The hidden name a file is written under until it is complete (dot-first: listings skip it). */
export function partialName(name: string): string {
  return `.${name}.partial`;
}

/**
 * Writes the chunks to a hidden partial file in the same folder, flushes it to disk, then
 * renames it to its final name: rename within one file system is atomic (POSIX rename(2)), so
 * a reader of the folder sees the whole file or none of it — never half, even when the
 * process dies mid-way (what is left then is the hidden partial, which the next attempt at
 * the same name overwrites). A failure that is not a crash removes the partial.
 */
export async function writeAtomically(
  target: AtomicTarget,
  chunks: AsyncIterable<string>,
): Promise<{ file: string; bytes: number }> {
  await mkdir(target.folder, { recursive: true });
  const file = join(target.folder, target.name);
  const partial = join(target.folder, partialName(target.name));
  const handle = await open(partial, 'w');
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      const buffer = Buffer.from(chunk, 'utf8');
      await handle.write(buffer);
      bytes += buffer.length;
    }
    // On disk before the name says it is complete: a power cut must not leave a short file.
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  return { file, bytes };
}
