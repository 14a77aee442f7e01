// Each test file's wall time in a run as CI's (two files at a time, in start order), longest
// first: to keep scripts/test-order.ts true and to find what makes CI slow.
// Usage: node scripts/time-tests.ts [files...]
import { relative } from 'node:path';
import { run } from 'node:test';
import { prepareTestRun, testFiles } from './test-setup.ts';

await prepareTestRun({ info: () => {}, warn: (message: string) => console.warn(message) });
const started = Date.now();
const spans = new Map<string, { first: number; last: number; failed: number }>();
for await (const event of run({ files: testFiles(process.argv.slice(2)), concurrency: 2 })) {
  const file = (event.data as { file?: string }).file;
  // Every file's tests are enqueued at the start of the run: its time starts when it is dequeued.
  if (file === undefined || event.type === 'test:enqueue') continue;
  const span = spans.get(file) ?? { first: Date.now(), last: 0, failed: 0 };
  span.last = Date.now();
  if (event.type === 'test:fail') span.failed += 1;
  spans.set(file, span);
}
const rows = [...spans].map(([file, span]) => ({
  file: relative(process.cwd(), file),
  seconds: (span.last - span.first) / 1000,
  failed: span.failed,
}));
for (const row of rows.toSorted((a, b) => b.seconds - a.seconds))
  console.log(`${row.seconds.toFixed(1).padStart(7)} s  ${row.failed ? 'FAIL ' : ''}${row.file}`);
console.log(`whole run ${((Date.now() - started) / 1000).toFixed(0)} s, ${rows.length} files`);
