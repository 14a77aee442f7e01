import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partialName, writeAtomically } from './write-atomically.ts';

const folder = mkdtempSync(join(tmpdir(), 'throughline-atomic-'));
after(() => rmSync(folder, { recursive: true, force: true }));

async function* lines(n: number): AsyncIterable<string> {
  for (let i = 0; i < n; i++) yield `{"row":${i}}\n`;
}

test('a process killed after writing, before the rename, leaves nothing under the final name', async () => {
  const name = 'results-2026-12-04T060000Z.ndjson';
  const child = spawnSync(
    process.execPath,
    [join(import.meta.dirname, 'testing', 'crash-mid-write.ts'), folder, name],
    { encoding: 'utf8' },
  );
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  assert.deepEqual(readdirSync(folder), [partialName(name)], 'only the hidden partial');
  assert.equal(readFileSync(join(folder, partialName(name)), 'utf8').split('\n').length, 1001);

  // The retry of that occurrence writes the whole file and publishes it; the partial is gone.
  const { file, bytes } = await writeAtomically({ folder, name }, lines(3));
  assert.deepEqual(readdirSync(folder), [name]);
  assert.equal(readFileSync(file, 'utf8'), '{"row":0}\n{"row":1}\n{"row":2}\n');
  assert.equal(bytes, 30);
});

test('a failure while writing removes the partial and leaves no file', async () => {
  async function* failing(): AsyncIterable<string> {
    yield 'half a row';
    throw new Error('the search failed on page 2');
  }
  await assert.rejects(writeAtomically({ folder, name: 'broken.ndjson' }, failing()), /page 2/);
  assert.deepEqual(readdirSync(folder), ['results-2026-12-04T060000Z.ndjson']);
});
