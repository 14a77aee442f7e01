// Runs every test file next to the code (src/**/*.test.ts), and the web app's browser tests
// (web/e2e/*.test.ts: one platform, one headless Chromium), with Node's own test runner.
// CI sets TEST_DATABASE_URL so the server-PostgreSQL half of the storage suite runs too.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { buildWebApp } from '../src/cli/build-web-app.ts';

const only = process.argv.slice(2);
const files =
  only.length > 0 ? only : [...globSync('src/**/*.test.ts'), ...globSync('web/e2e/*.test.ts')].sort();
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
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
