import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * One ndjson file being written: a line per resource (its JSON text, on one line), with the
 * stream's backpressure respected.
 */
export interface NdjsonFile {
  write(lines: string[]): Promise<void>;
  close(): Promise<void>;
  readonly count: number;
}

export function openNdjson(path: string): NdjsonFile {
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  let count = 0;
  return {
    get count() {
      return count;
    },
    async write(lines) {
      if (lines.length === 0) return;
      count += lines.length;
      const chunk = lines.join('\n') + '\n';
      // Waiting for 'drain' keeps at most one page in memory however slow the disk is.
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      }),
  };
}
