// Runs every test file next to the code (src/**/*.test.ts), and the web app's browser tests
// (web/e2e/*.test.ts: one platform, one headless Chromium), with Node's own test runner.
// CI sets TEST_DATABASE_URL so the server-PostgreSQL half of the storage suite runs too.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { prepareTestRun, testFiles } from './test-setup.ts';

if (!process.env.TEST_DATABASE_URL) {
  console.log(
    'note: TEST_DATABASE_URL is not set; the server-PostgreSQL half of the storage tests will skip.',
  );
}
await prepareTestRun({
  info: (message: string) => console.log(message),
  warn: (message: string) => console.warn(message),
});
// `node --test <files>` sorts the files; run() starts them in the order given.
const stream = run({ files: testFiles(process.argv.slice(2)), concurrency: 2 });
stream.on('test:summary', (summary) => {
  if (summary.file === undefined && !summary.success) process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);
