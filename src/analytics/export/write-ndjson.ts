import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Resource } from '@medplum/fhirtypes';

/** One ndjson file being written: a line per resource, with the stream's backpressure respected. */
export interface NdjsonFile {
  write(resources: Resource[]): Promise<void>;
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
    async write(resources) {
      if (resources.length === 0) return;
      count += resources.length;
      const chunk = resources.map((resource) => JSON.stringify(resource)).join('\n') + '\n';
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
