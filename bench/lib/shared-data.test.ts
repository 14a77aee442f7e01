import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { notRunWithout, sharedDataMissing, sharedDataPath } from './shared-data.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const synthea = resolve(projectRoot, '../shared/data/synthea/dev');

/** Runs `check` with another working directory, as a bench started from elsewhere has. */
function fromElsewhere<T>(check: () => T): T {
  const elsewhere = mkdtempSync(join(tmpdir(), 'bench-cwd-'));
  const cwd = process.cwd();
  process.chdir(elsewhere);
  try {
    return check();
  } finally {
    process.chdir(cwd);
    rmSync(elsewhere, { recursive: true, force: true });
  }
}

test(
  'the Synthea set beside the project is found whatever the working directory',
  { skip: !existsSync(synthea) && `${synthea} is absent here` },
  () => {
    fromElsewhere(() => {
      assert.equal(resolve(sharedDataPath('synthea/dev')), synthea);
      assert.equal(sharedDataMissing('synthea/dev'), undefined);
    });
  },
);

test('an absent data set is named by its full path, with where the data sets belong', () => {
  const missing = fromElsewhere(() => sharedDataMissing('no-such-set'));
  assert.ok(missing, 'said to be absent');
  assert.ok(missing.startsWith(resolve(projectRoot, '../shared/data/no-such-set')), missing);
  assert.match(missing, /beside the project's folder/);
});

test('a bench without its data set says NOT RUN on stderr, naming the path it looked at', (t) => {
  const said = t.mock.method(console, 'error', () => {});
  const stop = fromElsewhere(() => notRunWithout('no-such-set', { name: 'bench/x.ts', loads: 'a data set' }));
  assert.equal(stop, true);
  const message = String(said.mock.calls[0]?.arguments[0]);
  assert.ok(message.startsWith('bench/x.ts NOT RUN: it loads a data set, and '), message);
  assert.ok(message.includes(resolve(projectRoot, '../shared/data/no-such-set')), message);
});

test(
  'a bench with its data set runs, saying nothing',
  { skip: !existsSync(synthea) && `${synthea} is absent here` },
  (t) => {
    const said = t.mock.method(console, 'error', () => {});
    assert.equal(notRunWithout('synthea/dev', { name: 'bench/x.ts', loads: 'the Synthea dev set' }), false);
    assert.equal(said.mock.callCount(), 0);
  },
);
