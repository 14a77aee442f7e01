// `npm run lint`: the type checks, ESLint, Prettier and the house-rule scripts, run as separate
// processes on every core (each of them uses one), the longest first. Each step's output is
// printed whole when it ends, so steps do not interleave; the exit code is 1 if any step failed.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

interface Step {
  name: string;
  command: string[];
}

// Longest first (timed on 2 cores): the two type checks over the server's code, then ESLint.
const STEPS: Step[] = [
  { name: 'tsc (server, scripts, benches)', command: ['tsc', '--noEmit'] },
  { name: 'tsc (browser tests)', command: ['tsc', '--noEmit', '-p', 'web/e2e'] },
  { name: 'eslint', command: ['eslint', '.'] },
  { name: 'tsc (web app)', command: ['tsc', '--noEmit', '-p', 'web'] },
  { name: 'prettier', command: ['prettier', '--check', '.'] },
  { name: 'module boundaries', command: ['node', 'scripts/check-boundaries.ts'] },
  { name: 'web feature boundaries', command: ['node', 'scripts/check-web-boundaries.ts'] },
  { name: 'import cycles', command: ['node', 'scripts/check-import-cycles.ts'] },
  { name: 'Markdown paths', command: ['node', 'scripts/check-doc-paths.ts'] },
];

/** Runs one step (tools from node_modules/.bin, `node` as the pinned one), its output kept. */
function runStep(step: Step): Promise<boolean> {
  const [tool, ...args] = step.command;
  const executable = tool === 'node' ? process.execPath : `node_modules/.bin/${tool}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat(output).toString().trimEnd();
      console.log(`${code === 0 ? '✔' : '✖'} ${step.name} (${seconds} s)${text ? `\n${text}` : ''}`);
      resolve(code === 0);
    });
  });
}

const queue = [...STEPS];
let failed = 0;
const lane = async () => {
  for (let step = queue.shift(); step; step = queue.shift()) if (!(await runStep(step))) failed++;
};
await Promise.all(Array.from({ length: Math.min(availableParallelism(), 4) }, lane));
if (failed > 0) {
  console.log(`lint: ${failed} step(s) failed`);
  process.exitCode = 1;
}
