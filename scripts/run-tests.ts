// Runs every test file next to the code (src/**/*.test.ts), and the web app's browser tests
// (web/e2e/*.test.ts: one platform, one headless Chromium), with Node's own test runner.
// CI sets TEST_DATABASE_URL so the server-PostgreSQL half of the storage suite runs too.
import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { buildWebApp } from '../src/cli/build-web-app.ts';
import { migratedTarball } from '../src/store/testing/pglite-template.ts';
import { inStartOrder } from './test-order.ts';

const only = process.argv.slice(2);
const files = only.length > 0 ? only : [...globSync('src/**/*.test.ts'), ...globSync('web/e2e/*.test.ts')];
if (!process.env.TEST_DATABASE_URL) {
  console.log(
    'note: TEST_DATABASE_URL is not set; the server-PostgreSQL half of the storage tests will skip.',
  );
}
// Built once here, before any test starts the CLI: a build inside a test's time limit (the
// start-command tests give the process 30 s) would fail on a loaded machine.
buildWebApp({
  info: (message: string) => console.log(message),
  warn: (message: string) => console.warn(message),
});
// Likewise the migrated PGlite template every embedded-database test copies: made once here,
// not by the first two files at the same time.
await migratedTarball();
// `node --test <files>` sorts the files; run() starts them in the order given.
const stream = run({ files: inStartOrder(files).map((file) => resolve(file)), concurrency: 2 });
stream.on('test:summary', (summary) => {
  if (summary.file === undefined && !summary.success) process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);
