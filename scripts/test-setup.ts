// What every test run does before the first file starts: the files to run, the web app built,
// the migrated PGlite template made, and Node's compile cache shared by every test process.
import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildWebApp } from '../src/cli/build-web-app.ts';
import { migratedTarball } from '../src/store/testing/pglite-template.ts';
import { inStartOrder } from './test-order.ts';

/**
 * Node's on-disk compile cache (V8 code and the TypeScript it strips), for this process and,
 * through the environment, every test process it starts. Each of the ~200 test files is its own
 * process that loads most of the platform: about 1.2 s of CPU without the cache, 0.5 s with it.
 * Keyed by file content, so an edited file is simply compiled again.
 */
function shareCompileCache(): void {
  process.env.NODE_COMPILE_CACHE ??= resolve('node_modules/.cache/node-compile-cache');
}

/**
 * The test files named on the command line, or all of them (the web app's pure functions and the
 * benches' helpers have theirs next to them, as the server's do), in the order they should start.
 */
export function testFiles(named: string[]): string[] {
  const files =
    named.length > 0
      ? named
      : [
          ...globSync('src/**/*.test.ts'),
          ...globSync('web/src/**/*.test.ts'),
          ...globSync('bench/lib/**/*.test.ts'),
          ...globSync('web/e2e/*.test.ts'),
        ];
  return inStartOrder(files).map((file) => resolve(file));
}

export async function prepareTestRun(log: {
  info: (message: string) => void;
  warn: (message: string) => void;
}) {
  shareCompileCache();
  // Built once here, before any test starts the CLI: a build inside a test's time limit (the
  // start-command tests give the process 30 s) would fail on a loaded machine.
  buildWebApp(log);
  // Likewise the migrated PGlite template every embedded-database test copies: made once here,
  // not by the first two files at the same time.
  await migratedTarball();
}
